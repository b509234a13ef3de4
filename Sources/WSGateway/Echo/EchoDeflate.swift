import WSIO
import WSProtocol

/// permessage-deflate of one echo connection (`wsgate echo --deflate`): a compressed message is inflated
/// whole and its echo compressed again with the echo's own context, so a backend behind a gateway pays
/// what a real one would. Uncompressed messages keep the connection's in-place echo.
///
/// The buffers keep their size between messages: this is a benchmark backend, built for speed.
final class EchoDeflate {
    /// Largest inflated message (the bench's largest `--size`); beyond it the echo closes with 1009.
    static let messageLimit = 64 << 20
    /// Room before the reply's payload for the largest unmasked header.
    private static let headroom = 10

    private let inflater: Inflater
    private let deflater: Deflater
    private let message = MessageBuffer()
    /// The echo frame: header, then compressed payload, from `replyStart`.
    private let reply = MessageBuffer()
    private var replyStart = 0
    /// Between the first frame of a compressed message and its final frame.
    private var inMessage = false
    private var opcode: UInt8 = 0
    /// Compressed payload of the current frame not seen yet.
    private(set) var frameRemaining: UInt64 = 0
    private var frameIsFinal = false
    private var maskKey: UInt32 = 0
    private var maskPhase = 0

    /// Compression contexts for what the echo (the server) agreed with its client.
    init(_ agreement: DeflateAgreement) {
        let settings = agreement.settings(as: .server)
        inflater = Inflater(settings.receive)
        deflater = Deflater(settings.send)
    }

    /// The echo of a compressed message waits to be written.
    var replyPending: Bool { reply.count > replyStart }

    /// Whether a data frame (already validated) belongs to a compressed message.
    func takes(_ header: FrameHeader) -> Bool {
        header.rsv & 0x40 != 0 || (inMessage && header.opcode == WSOpcode.continuation)
    }

    /// Starts one frame of a compressed message; its payload follows through `consume`. Returns a close
    /// code when the message cannot be echoed.
    func begin(_ header: FrameHeader) -> UInt16? {
        if header.opcode != WSOpcode.continuation {
            inMessage = true
            opcode = header.opcode
            message.count = 0
        }
        frameRemaining = header.payloadLength
        frameIsFinal = header.fin
        maskKey = header.maskKey
        maskPhase = 0
        return frameRemaining == 0 ? frameEnded() : nil
    }

    /// Unmasks (in place) and inflates the next piece of the current frame's payload; at the message's end
    /// the echo is framed. Returns a close code when the message cannot be echoed.
    func consume(_ bytes: UnsafeMutableRawBufferPointer) -> UInt16? {
        maskPhase = applyMask(bytes, key: maskKey, phase: maskPhase)
        frameRemaining -= UInt64(bytes.count)
        if let code = closeCode(inflater.inflate(UnsafeRawBufferPointer(bytes), into: message, limit: Self.messageLimit)) {
            return code
        }
        return frameRemaining == 0 ? frameEnded() : nil
    }

    /// Writes the pending echo; false while the socket is full or after `write` failed (`failed` set).
    func writeReply(_ write: (UnsafeRawPointer, Int) -> IOResult, failed: inout Bool) -> Bool {
        while replyPending {
            switch write(reply.base! + replyStart, reply.count - replyStart) {
            case .bytes(let n): replyStart += n
            case .wouldBlock: return false
            case .eof, .failed:
                failed = true
                return false
            }
        }
        reply.count = 0
        replyStart = 0
        return true
    }

    private func frameEnded() -> UInt16? {
        guard frameIsFinal else { return nil }
        inMessage = false
        if let code = closeCode(inflater.finishMessage(into: message, limit: Self.messageLimit)) { return code }
        reply.count = Self.headroom
        guard deflater.deflate(message.bytes, into: reply) else {
            return CloseCode.internalError.rawValue
        }
        let payloadLength = reply.count - Self.headroom
        replyStart = Self.headroom - FrameWriter.headerLength(payloadLength: payloadLength, masked: false)
        FrameWriter.writeHeader(into: reply.base! + replyStart, fin: true, rsv: 0x40, opcode: opcode,
                                payloadLength: payloadLength, maskKey: nil)
        return nil
    }

    private func closeCode(_ outcome: Inflater.Outcome) -> UInt16? {
        switch outcome {
        case .ok: return nil
        case .limitReached: return CloseCode.messageTooBig.rawValue
        case .invalid: return CloseCode.invalidPayload.rawValue
        }
    }
}
