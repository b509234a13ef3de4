import Glibc
import WSProtocol

/// What the bench's messages contain (`--payload`).
public enum BenchPayloadKind: String, Sendable, CaseIterable {
    /// Binary frames of a byte pattern that compresses poorly.
    case binary
    /// Text frames of JSON chat messages, which compress like real chat traffic.
    case text
}

/// The bench's message content: deterministic templates chosen by each message's sequence number, so a
/// lost, repeated, reordered or corrupted echo is caught by one `memcmp` against the template.
///
/// Each message starts with a header carrying its sequence number and send time (binary: both
/// little-endian in 16 bytes, when the payload has room; text: both as 16 hex digits in JSON fields).
/// `@unchecked Sendable`: the templates are written once in `init` and only read afterwards.
final class BenchPayload: @unchecked Sendable {
    /// Payload bytes per message.
    let size: Int
    let kind: BenchPayloadKind
    /// The frame opcode of every message.
    let opcode: UInt8
    /// Bytes at the start of each message rewritten per message (sequence number and send time).
    let headerSize: Int
    /// Smallest `size` a text payload accepts: its JSON header, the fields around the text and a few words.
    static let minimumTextSize = 96
    /// Binary payloads this large or larger embed sequence number and send time.
    static let binaryHeaderSize = 16

    private static let binaryPeriod = 256
    private static let textTemplateBytes = 8 << 20
    private static let maxTextTemplates = 64
    private let templates: UnsafeMutableRawPointer
    /// Binary: 1 byte (windows slide over one long pattern); text: `size` (whole templates side by side).
    private let templateStride: Int
    private let templateCount: Int

    init(size: Int, kind: BenchPayloadKind = .binary) {
        precondition(kind == .binary || size >= Self.minimumTextSize, "text payloads need \(Self.minimumTextSize) bytes")
        self.size = size
        self.kind = kind
        switch kind {
        case .binary:
            opcode = WSOpcode.binary
            headerSize = size >= Self.binaryHeaderSize ? Self.binaryHeaderSize : 0
            templateStride = 1
            templateCount = Self.binaryPeriod
            templates = .allocate(byteCount: size + Self.binaryPeriod, alignment: 16)
            for index in 0..<(size + Self.binaryPeriod) {
                // Not periodic in 256, so the window of message n differs from that of message n + 1 everywhere.
                templates.storeBytes(of: UInt8(truncatingIfNeeded: index &* 131 &+ (index >> 8) &* 7 &+ 17),
                                     toByteOffset: index, as: UInt8.self)
            }
        case .text:
            opcode = WSOpcode.text
            headerSize = ChatText.headerSize
            templateStride = size
            templateCount = max(1, min(Self.maxTextTemplates, Self.textTemplateBytes / size))
            templates = .allocate(byteCount: size * templateCount, alignment: 16)
            for index in 0..<templateCount {
                ChatText.writeTemplate(into: templates + index * size, size: size, index: index)
            }
        }
    }

    deinit {
        templates.deallocate()
    }

    /// Bytes of a masked client frame carrying one uncompressed message.
    var frameLength: Int { FrameWriter.headerLength(payloadLength: size, masked: true) + size }

    /// Most bytes a compressed message can take: zlib never emits more than stored blocks (5 bytes per
    /// block of at most one 4 KiB window here) plus the flush; 1/256 and 64 bytes leave room to spare.
    var compressedBound: Int { size + size / 256 + 64 }

    /// Bytes of a masked client frame carrying one compressed message, at most.
    var compressedFrameBound: Int { FrameWriter.headerLength(payloadLength: compressedBound, masked: true) + compressedBound }

    /// Writes message `sequence` (plain, unmasked) at `payload`.
    @inline(__always)
    func writeMessage(into payload: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64) {
        payload.copyMemory(from: template(sequence), byteCount: size)
        writeHeader(into: payload, sequence: sequence, sentAt: sentAt)
    }

    /// Writes message `sequence` as a masked frame at `frame`; returns the frame's length.
    @inline(__always)
    func writeFrame(into frame: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64, maskKey: UInt32) -> Int {
        let headerLength = FrameWriter.writeHeader(
            into: frame, fin: true, opcode: opcode, payloadLength: size, maskKey: maskKey)
        let payload = frame + headerLength
        writeMessage(into: payload, sequence: sequence, sentAt: sentAt)
        _ = applyMask(UnsafeMutableRawBufferPointer(start: payload, count: size), key: maskKey, phase: 0)
        return headerLength + size
    }

    /// Whether an unmasked echoed `payload` (exactly `size` bytes) is message `sequence` sent at `sentAt`.
    @inline(__always)
    func matches(_ payload: UnsafeRawPointer, sequence: UInt64, sentAt: UInt64) -> Bool {
        let headerMatches = withUnsafeTemporaryAllocation(byteCount: ChatText.headerSize, alignment: 8) { expected in
            writeHeader(into: expected.baseAddress!, sequence: sequence, sentAt: sentAt)
            return memcmp(payload, expected.baseAddress!, headerSize) == 0
        }
        return headerMatches && memcmp(payload + headerSize, template(sequence) + headerSize, size - headerSize) == 0
    }

    @inline(__always)
    private func writeHeader(into payload: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64) {
        switch kind {
        case .binary:
            guard headerSize > 0 else { return }
            payload.storeBytes(of: sequence.littleEndian, as: UInt64.self)
            payload.storeBytes(of: sentAt.littleEndian, toByteOffset: 8, as: UInt64.self)
        case .text:
            ChatText.writeHeader(into: payload, sequence: sequence, sentAt: sentAt)
        }
    }

    @inline(__always)
    private func template(_ sequence: UInt64) -> UnsafeRawPointer {
        let index = Int(truncatingIfNeeded: sequence % UInt64(templateCount))
        return UnsafeRawPointer(templates + index * templateStride)
    }
}
