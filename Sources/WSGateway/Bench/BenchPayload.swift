import Glibc
import WSProtocol

/// The bench's message content: a deterministic byte pattern that shifts with each message's sequence
/// number, so a lost, repeated, reordered or corrupted echo is caught by one `memcmp`.
///
/// Payloads of 16 bytes or more carry the sequence number and the send time (both little-endian) in their
/// first 16 bytes; smaller ones are pattern only. `@unchecked Sendable`: the pattern is written once in
/// `init` and only read afterwards.
final class BenchPayload: @unchecked Sendable {
    /// Payload bytes per message.
    let size: Int
    /// Payloads this large or larger embed sequence number and timestamp.
    static let embeddedHeaderSize = 16
    private static let patternPeriod = 256
    private let pattern: UnsafeMutableRawPointer

    init(size: Int) {
        self.size = size
        let count = size + Self.patternPeriod
        pattern = .allocate(byteCount: count, alignment: 16)
        for index in 0..<count {
            // Not periodic in 256, so the window of message n differs from that of message n + 1 everywhere.
            pattern.storeBytes(of: UInt8(truncatingIfNeeded: index &* 131 &+ (index >> 8) &* 7 &+ 17),
                               toByteOffset: index, as: UInt8.self)
        }
    }

    deinit {
        pattern.deallocate()
    }

    var embedsHeader: Bool { size >= Self.embeddedHeaderSize }

    /// Bytes of a masked client frame carrying one message.
    var frameLength: Int { FrameWriter.headerLength(payloadLength: size, masked: true) + size }

    /// Writes message `sequence` as a masked binary frame at `frame`; returns the frame's length.
    @inline(__always)
    func writeFrame(into frame: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64, maskKey: UInt32) -> Int {
        let headerLength = FrameWriter.writeHeader(
            into: frame, fin: true, opcode: WSOpcode.binary, payloadLength: size, maskKey: maskKey)
        let payload = frame + headerLength
        payload.copyMemory(from: window(sequence), byteCount: size)
        if embedsHeader {
            payload.storeBytes(of: sequence.littleEndian, as: UInt64.self)
            payload.storeBytes(of: sentAt.littleEndian, toByteOffset: 8, as: UInt64.self)
        }
        _ = applyMask(UnsafeMutableRawBufferPointer(start: payload, count: size), key: maskKey, phase: 0)
        return headerLength + size
    }

    /// Whether an unmasked echoed `payload` (exactly `size` bytes) is message `sequence` sent at `sentAt`.
    @inline(__always)
    func matches(_ payload: UnsafeRawPointer, sequence: UInt64, sentAt: UInt64) -> Bool {
        guard embedsHeader else { return memcmp(payload, window(sequence), size) == 0 }
        return UInt64(littleEndian: payload.loadUnaligned(as: UInt64.self)) == sequence
            && UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == sentAt
            && memcmp(payload + Self.embeddedHeaderSize, window(sequence) + Self.embeddedHeaderSize,
                      size - Self.embeddedHeaderSize) == 0
    }

    @inline(__always)
    private func window(_ sequence: UInt64) -> UnsafeRawPointer {
        UnsafeRawPointer(pattern + Int(truncatingIfNeeded: sequence & UInt64(Self.patternPeriod - 1)))
    }
}
