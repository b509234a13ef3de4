import Glibc
import WSHTTP
import WSProtocol

/// permessage-deflate for one bench connection (`--deflate`): what it offers, the agreement read from
/// the 101, and the per-message compression of what it sends and decompression of what it receives.
///
/// The buffers live as long as the connection slot and keep their size between messages, so after the
/// first message nothing is allocated (the zlib streams too, unless a side asked for no context takeover).
final class BenchCompression {
    /// The offer in the upgrade request: the client can limit its own window, as browsers say.
    static let offer = "permessage-deflate; client_max_window_bits"

    /// Why a 101 cannot be used with compression.
    enum Refusal: Error, Equatable {
        /// The server answered without the extension.
        case declined
        /// The server's extension answer does not fit the offer, with the reason.
        case invalid(String)
    }

    /// The agreement in the server's 101, or why there is none. Per handshake, so it may allocate.
    static func agreement(in headers: HTTPHeaders) -> Result<DeflateAgreement, Refusal> {
        switch DeflateNegotiation.acceptResponse(headers, offer: offer) {
        case .success(let agreement?): return .success(agreement)
        case .success(nil): return .failure(.declined)
        case .failure(let error): return .failure(.invalid(error.reason))
        }
    }

    private let payload: BenchPayload
    /// The plain message before compression.
    private let plain: UnsafeMutableRawPointer
    private let compressed = MessageBuffer()
    private let inflated = MessageBuffer()
    private var deflater: Deflater?
    private var inflater: Inflater?

    init(payload: BenchPayload) {
        self.payload = payload
        plain = .allocate(byteCount: max(payload.size, 1), alignment: 16)
    }

    deinit {
        plain.deallocate()
    }

    /// Starts a connection's compression contexts afresh for what the server agreed to.
    func start(_ agreement: DeflateAgreement) {
        let settings = agreement.settings(as: .client)
        deflater = Deflater(settings.send)
        inflater = Inflater(settings.receive)
    }

    /// Drops the contexts of a connection that ended.
    func stop() {
        deflater = nil
        inflater = nil
    }

    /// Writes message `sequence` compressed, as a masked frame with RSV1 at `frame` (room for
    /// `payload.compressedFrameBound` bytes); returns the frame's length and its payload length, or nil
    /// when zlib failed.
    @inline(__always)
    func writeFrame(into frame: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64,
                    maskKey: UInt32) -> (frame: Int, payload: Int)? {
        guard let deflater else { return nil }
        payload.writeMessage(into: plain, sequence: sequence, sentAt: sentAt)
        compressed.count = 0
        guard deflater.deflate(UnsafeRawBufferPointer(start: plain, count: payload.size), into: compressed),
              compressed.count <= payload.compressedBound
        else { return nil }
        let length = compressed.count
        let headerLength = FrameWriter.writeHeader(
            into: frame, fin: true, rsv: 0x40, opcode: payload.opcode, payloadLength: length, maskKey: maskKey)
        let body = frame + headerLength
        if length > 0 { body.copyMemory(from: compressed.base!, byteCount: length) }
        _ = applyMask(UnsafeMutableRawBufferPointer(start: body, count: length), key: maskKey, phase: 0)
        return (headerLength + length, length)
    }

    /// Inflates one compressed message received whole; nil when it is not valid deflate data or inflates
    /// to more than the payload size (which cannot be the echo of anything sent).
    @inline(__always)
    func inflate(_ body: UnsafeRawPointer, length: Int) -> UnsafeRawBufferPointer? {
        guard let inflater else { return nil }
        inflated.count = 0
        guard inflater.inflate(UnsafeRawBufferPointer(start: body, count: length), into: inflated, limit: payload.size) == .ok,
              inflater.finishMessage(into: inflated, limit: payload.size) == .ok
        else {
            inflater.abandonMessage()
            return nil
        }
        return inflated.bytes
    }
}
