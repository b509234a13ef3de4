import Glibc
import WSProtocol

/// One direction's permessage-deflate state when the gateway terminates compression: the source's
/// compressed messages are inflated whole (within the size limit) and sent on as one new frame,
/// compressed again when the destination negotiated it. Uncompressed messages never come here.
final class PumpDeflate {
    /// Inflates what the source compressed.
    let inflater: Inflater
    /// Compresses toward the destination; nil sends inflated messages uncompressed.
    let deflater: Deflater?
    /// Frames toward the destination are masked (it is the upstream).
    let maskOutgoing: Bool
    /// Largest inflated message, in bytes (`Int.max` = unlimited).
    let limit: Int

    /// The message being inflated, then the frame being written; both freed after each message.
    let message = MessageBuffer()
    let outgoing = MessageBuffer()
    /// Bytes of `outgoing` already written (the frame starts at `outgoingStart`).
    var outgoingOffset = 0
    /// Inside a compressed message (between its first frame and its final one).
    var collecting = false
    var messageOpcode: UInt8 = 0
    /// Compressed payload of the current frame not read yet.
    var compressedRemaining: UInt64 = 0
    var frameIsFinal = false
    var maskKey: UInt32 = 0
    var maskPhase = 0

    init(inflater: Inflater, deflater: Deflater?, maskOutgoing: Bool, limit: UInt64) {
        self.inflater = inflater
        self.deflater = deflater
        self.maskOutgoing = maskOutgoing
        self.limit = limit > UInt64(Int.max) ? .max : Int(limit)
    }

    var hasOutgoing: Bool { outgoing.count > 0 }
    var outgoingStarted: Bool { outgoing.count > 0 && outgoingOffset > headroom - outgoingHeaderLength }

    /// Room kept before the payload in `outgoing` for the largest masked header.
    let headroom = 14
    var outgoingHeaderLength = 0

    /// Drops the message in progress (the connection is closing) and frees the buffers not in flight.
    func abandonMessage() {
        if collecting || compressedRemaining > 0 { inflater.abandonMessage() }
        collecting = false
        compressedRemaining = 0
        message.release()
    }

    /// Frees everything (the connection ended).
    func releaseMessage() {
        abandonMessage()
        outgoing.release()
        outgoingOffset = 0
    }

    /// The inflated message, as one frame (compressed again when the destination takes it) in `outgoing`.
    func frameMessage(keys: MaskKeySource) -> Bool {
        guard outgoing.reserve(free: headroom + (deflater == nil ? message.count : 0)) else { return false }
        outgoing.count = headroom
        if let deflater {
            guard deflater.deflate(message.bytes, into: outgoing) else { return false }
        } else if message.count > 0 {
            outgoing.freeSpace.baseAddress!.copyMemory(from: message.base!, byteCount: message.count)
            outgoing.count += message.count
        }
        message.release()
        let payloadLength = outgoing.count - headroom
        let key: UInt32? = maskOutgoing ? keys.next() : nil
        outgoingHeaderLength = FrameWriter.headerLength(payloadLength: payloadLength, masked: key != nil)
        outgoingOffset = headroom - outgoingHeaderLength
        let base = outgoing.base!
        FrameWriter.writeHeader(into: base + outgoingOffset, fin: true, rsv: deflater == nil ? 0 : 0x40,
                                opcode: messageOpcode, payloadLength: payloadLength, maskKey: key)
        if let key {
            _ = applyMask(UnsafeMutableRawBufferPointer(start: base + headroom, count: payloadLength), key: key, phase: 0)
        }
        return true
    }
}

extension FramePump {
    /// A data frame of a compressed message: its header is cut from the stream (the message goes out
    /// as a new frame) and its payload is inflated as it arrives.
    func beginCompressedFrame(_ header: FrameHeader, keys: MaskKeySource) -> FrameViolation? {
        let state = deflate!
        if header.opcode != WSOpcode.continuation {
            state.collecting = true
            state.messageOpcode = header.opcode
        }
        state.compressedRemaining = header.payloadLength
        state.frameIsFinal = header.fin
        state.maskKey = header.masked ? header.maskKey : 0
        state.maskPhase = 0
        removeBytes(at: parsed, count: header.headerLength)
        return header.payloadLength == 0 ? consumeCompressedPayload(keys: keys) : nil
    }

    /// Inflates what has arrived of the current compressed frame; at the message's end, frames it.
    func consumeCompressedPayload(keys: MaskKeySource) -> FrameViolation? {
        let state = deflate!
        let n = Int(min(state.compressedRemaining, UInt64(end - parsed)))
        if n > 0 {
            let payload = UnsafeMutableRawBufferPointer(start: buffer! + parsed, count: n)
            if state.maskKey != 0 { state.maskPhase = applyMask(payload, key: state.maskKey, phase: state.maskPhase) }
            let outcome = state.inflater.inflate(UnsafeRawBufferPointer(payload), into: state.message, limit: state.limit)
            removeBytes(at: parsed, count: n)
            state.compressedRemaining -= UInt64(n)
            if let violation = Self.violation(outcome) { return violation }
        }
        guard state.compressedRemaining == 0, state.frameIsFinal else { return nil }
        state.collecting = false
        if let violation = Self.violation(state.inflater.finishMessage(into: state.message, limit: state.limit)) {
            return violation
        }
        // Out of memory framing the message: the destination cannot get it, so the source is told.
        return state.frameMessage(keys: keys) ? nil : FrameViolation(.messageTooBig)
    }

    private static func violation(_ outcome: Inflater.Outcome) -> FrameViolation? {
        switch outcome {
        case .ok: return nil
        case .limitReached: return FrameViolation(.messageTooBig)
        case .invalid: return FrameViolation(.invalidCompressedData)
        }
    }

    /// Writes the re-framed message; nil once it is all out (or there is none), else why it stopped.
    func flushOutgoing(to destination: Endpoint, closingNext: Bool) -> FlushResult? {
        let state = deflate!
        guard state.hasOutgoing, let base = state.outgoing.base else { return nil }
        while state.outgoingOffset < state.outgoing.count {
            switch destination.write(from: base + state.outgoingOffset, count: state.outgoing.count - state.outgoingOffset,
                                     closingNext: closingNext) {
            case .bytes(let n) where n > 0: state.outgoingOffset += n
            case .wouldBlock, .bytes: return .blocked
            case .failed(let e): return .failed(e)
            case .eof: return .failed(EPIPE)
            }
        }
        state.outgoing.release()
        state.outgoingOffset = 0
        messageFlushed = true
        return nil
    }

    /// Stops the compressed message in progress; the rest of its current frame is skipped when draining.
    func abandonCompressedMessage() {
        let state = deflate!
        payloadRemaining += state.compressedRemaining
        state.abandonMessage()
    }
}
