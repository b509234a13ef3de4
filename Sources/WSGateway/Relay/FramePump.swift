import Glibc
import WSIO
import WSProtocol

/// What the connection must act on after a pump scanned new bytes.
enum PumpEvent {
    case none
    /// The frame that was in flight when relaying stopped is complete; the pump now drains.
    case frameFinished
    /// The source's close frame: forwarded when relaying, found when draining.
    case closeFrame
    case violation(FrameViolation)
    /// A rate limit in throttle mode: forwarding stops at this message boundary for this long.
    case throttle(milliseconds: UInt64)
    /// A rate limit in close mode: the message that found no tokens was not forwarded.
    case rateExceeded
}

/// One direction of a proxied connection: a pooled buffer plus an incremental frame scanner.
///
/// The buffer holds `[start, parsed)` bytes checked and ready for the destination and `[parsed, end)`
/// bytes received but not yet complete enough to judge (a partial frame header or control frame).
/// Data payload is released to the destination as it arrives; control frames (≤ 131 bytes) are
/// judged whole. The buffer goes back to the loop's pool whenever it empties, so an idle connection
/// holds none. Frames are forwarded in place: a client frame keeps its header and gets a fresh mask
/// by one XOR pass (old key ⊕ new key) when re-masking is on.
final class FramePump {
    let fromClient: Bool
    /// Handshake bytes are read on the loop's handshake pool; the route's pool takes over once open.
    private var pool: BufferPool
    private var nextPool: BufferPool?
    private(set) var buffer: UnsafeMutableRawPointer?
    private(set) var start = 0
    var parsed = 0
    var end = 0
    /// Payload bytes of the current frame not yet seen (forwarded when relaying, skipped when draining).
    var payloadRemaining: UInt64 = 0
    /// Whole-message handling of compressed messages, when the gateway terminates permessage-deflate.
    var deflate: PumpDeflate? {
        didSet { terminating = deflate != nil }
    }
    /// Whether `deflate` is set, as a plain flag checked per frame (like `rateLimited`).
    private(set) var terminating = false
    /// A re-framed message was written out: the bytes held back behind it are to be scanned now.
    var messageFlushed = false
    /// The connection is scanning this pump (so a flushed message asks for another round, not a recursion).
    var scanning = false
    var rescan = false
    private var validator: FrameSequenceValidator
    private var remask: Bool
    private var xorKey: UInt32 = 0
    private var maskPhase = 0
    /// False once the source's close frame is forwarded or the gateway stopped relaying.
    private(set) var forwarding = true
    /// Reading the source only to find its close frame; nothing is forwarded.
    private(set) var draining = false
    /// The route's rate limit for this direction, charged at each data frame header; nil = unlimited.
    var rateLimiter: MessageRateLimiter? {
        didSet { rateLimited = rateLimiter != nil }
    }
    /// Whether `rateLimiter` is set, as a plain flag: testing the optional struct itself costs a copy per frame.
    private var rateLimited = false
    /// Reading and forwarding paused by a rate limit until the connection's timer clears it.
    var throttled = false
    private var throttleMilliseconds: UInt64 = 0

    /// What a scan that ran out of bytes reports: a pause it incurred must reach the connection, or no
    /// timer would ever end it.
    private var waiting: PumpEvent { throttled ? .throttle(milliseconds: throttleMilliseconds) : .none }
    /// Set when the gateway's own keepalive pong was consumed; the connection clears it.
    var keepalivePongSeen = false
    private(set) var messages: UInt64 = 0
    private(set) var bytesIn: UInt64 = 0
    private(set) var closeCode: UInt16?
    /// The reason in the source's close frame (for the access log; one small string per connection).
    private(set) var closeReason = ""

    init(fromClient: Bool, pool: BufferPool, validator: FrameSequenceValidator) {
        self.fromClient = fromClient
        self.pool = pool
        self.remask = false
        self.validator = validator
    }

    /// Applies the route's settings; the route's buffers are used from the next empty moment on.
    func configure(pool routePool: BufferPool, remask: Bool, maxMessageSize: UInt64, maxFrameSize: UInt64,
                   allowedRSV: UInt8 = 0) {
        self.remask = remask && fromClient
        validator = FrameSequenceValidator(requireMasked: fromClient, allowedRSV: allowedRSV, maxMessageSize: maxMessageSize,
                                           maxFrameSize: maxFrameSize)
        if buffer == nil { pool = routePool } else if routePool !== pool { nextPool = routePool }
    }

    var hasOutput: Bool { start < parsed || terminating && deflate!.hasOutgoing }
    /// Room to read into now, or after compaction, and not paused by a rate limit.
    var canRead: Bool { !throttled && (buffer == nil || end < pool.bufferSize || start > 0) }

    /// No room left after the last byte received: straight after a read, the read took all the free space it
    /// was offered, so the source may hold more (a short read on a TCP socket means its receive queue was empty).
    var isFull: Bool { end == pool.bufferSize }

    /// Reads once from `source` into free space.
    @inline(__always)
    func read(from source: Endpoint) -> IOResult {
        if buffer == nil { buffer = pool.acquire() }
        if end == pool.bufferSize { compact() }
        let result = source.read(into: buffer! + end, count: pool.bufferSize - end)
        if case .bytes(let n) = result {
            end += n
            bytesIn &+= UInt64(n)
        } else if end == 0 {
            releaseBuffer()
        }
        return result
    }

    /// Scans new bytes and makes what can be forwarded ready; a client pong carrying `pongToken` (the
    /// outstanding keepalive ping's, nil when none is out) is the gateway's and is removed.
    func process(keys: MaskKeySource, pongToken: UInt64?, nowMilliseconds: UInt64) -> PumpEvent {
        guard let buffer, forwarding else { return .none }
        while parsed < end {
            if throttled && payloadRemaining == 0 { return .throttle(milliseconds: throttleMilliseconds) }
            if terminating {
                // A re-framed message waits to be written first; the rest waits for it.
                if deflate!.hasOutgoing { return waiting }
                if deflate!.compressedRemaining > 0 {
                    if let violation = consumeCompressedPayload(keys: keys) { return .violation(violation) }
                    continue
                }
            }
            if payloadRemaining > 0 {
                let n = Int(min(payloadRemaining, UInt64(end - parsed)))
                if xorKey != 0 {
                    maskPhase = applyMask(UnsafeMutableRawBufferPointer(start: buffer + parsed, count: n),
                                          key: xorKey, phase: maskPhase)
                }
                parsed += n
                payloadRemaining -= UInt64(n)
                if finishingFrame && payloadRemaining == 0 {
                    finishingFrame = false
                    forwarding = false
                    draining = true
                    return .frameFinished
                }
                continue
            }
            let header: FrameHeader
            switch FrameHeader.parse(UnsafeRawBufferPointer(start: buffer + parsed, count: end - parsed)) {
            case .incomplete: return waiting
            case .invalid(let violation): return .violation(violation)
            case .header(let h): header = h
            }
            if let violation = validator.check(header) { return .violation(violation) }
            if WSOpcode.isControl(header.opcode) {
                let total = header.headerLength + Int(header.payloadLength)
                guard end - parsed >= total else { return waiting }
                let event = processControlFrame(header, total: total, keys: keys, pongToken: pongToken)
                if case .none = event { continue }
                return event
            }
            if rateLimited {
                switch rateLimiter!.charge(header, nowMilliseconds: nowMilliseconds) {
                case .proceed: break
                case .close: return .rateExceeded
                case .pause(let milliseconds):
                    // This message goes (it is paid for by debt); the next one waits.
                    throttled = true
                    throttleMilliseconds = milliseconds
                }
            }
            if terminating && (header.rsv & 0x40 != 0 || header.opcode == WSOpcode.continuation && deflate!.collecting) {
                if header.fin { messages &+= 1 }
                if let violation = beginCompressedFrame(header, keys: keys) { return .violation(violation) }
                continue
            }
            if remask {
                let key = keys.next()
                (buffer + parsed + header.headerLength - 4).storeBytes(of: key, as: UInt32.self)
                xorKey = header.maskKey ^ key
                maskPhase = 0
            }
            if header.fin { messages &+= 1 }
            parsed += header.headerLength
            payloadRemaining = header.payloadLength
        }
        return waiting
    }

    private func processControlFrame(_ header: FrameHeader, total: Int, keys: MaskKeySource, pongToken: UInt64?) -> PumpEvent {
        let frame = buffer! + parsed
        let payloadLength = Int(header.payloadLength)
        return withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { scratch -> PumpEvent in
            let payload = UnsafeMutableRawBufferPointer(start: scratch.baseAddress!, count: payloadLength)
            if payloadLength > 0 {
                payload.copyMemory(from: UnsafeRawBufferPointer(start: frame + header.headerLength, count: payloadLength))
                if header.masked { _ = applyMask(payload, key: header.maskKey, phase: 0) }
            }
            switch header.opcode {
            case WSOpcode.close:
                switch ClosePayload.parse(UnsafeRawBufferPointer(payload)) {
                case .failure(let violation): return .violation(violation)
                case .success(let close):
                    closeCode = close.code
                    if close.reasonLength > 0 {
                        closeReason = String(decoding: UnsafeRawBufferPointer(rebasing: payload[2..<(2 + close.reasonLength)]),
                                             as: UTF8.self)
                    }
                }
                forwardControlFrame(header, at: frame, keys: keys)
                parsed += total
                end = parsed
                forwarding = false
                return .closeFrame
            case WSOpcode.pong where fromClient && payloadLength == 8 && pongToken != nil
                && payload.loadUnaligned(as: UInt64.self) == pongToken:
                removeBytes(at: parsed, count: total)
                keepalivePongSeen = true
                return .none
            default:
                forwardControlFrame(header, at: frame, keys: keys)
                parsed += total
                return .none
            }
        }
    }

    private func forwardControlFrame(_ header: FrameHeader, at frame: UnsafeMutableRawPointer, keys: MaskKeySource) {
        guard remask else { return }
        let key = keys.next()
        (frame + header.headerLength - 4).storeBytes(of: key, as: UInt32.self)
        _ = applyMask(UnsafeMutableRawBufferPointer(start: frame + header.headerLength, count: Int(header.payloadLength)),
                      key: header.maskKey ^ key, phase: 0)
    }

    /// While draining: skips frames until the source's close frame; keeps only a partial header.
    /// While discarding: drops everything.
    func drain() -> PumpEvent {
        guard let buffer else { return .none }
        if discarding {
            end = parsed
            return .none
        }
        var scan = parsed
        var event = PumpEvent.none
        scanning: while scan < end {
            if payloadRemaining > 0 {
                let n = Int(min(payloadRemaining, UInt64(end - scan)))
                scan += n
                payloadRemaining -= UInt64(n)
                continue
            }
            switch FrameHeader.parse(UnsafeRawBufferPointer(start: buffer + scan, count: end - scan)) {
            case .incomplete: break scanning
            case .invalid(let violation):
                event = .violation(violation)
                scan = end
            case .header(let h):
                if h.opcode == WSOpcode.close {
                    event = .closeFrame
                    scan = end
                } else {
                    scan += h.headerLength
                    payloadRemaining = h.payloadLength
                }
            }
        }
        removeBytes(at: parsed, count: scan - parsed)
        return event
    }

    /// Stops relaying from the source; what is already checked still goes out. The source stays in
    /// frame sync (its unparsed bytes and the rest of its current frame are skipped, not lost).
    func startDraining() {
        guard forwarding, !finishingFrame else { return }
        if payloadRemaining > 0 {
            // A frame is half-way out: forward the rest of it, so the destination can get a close frame.
            finishingFrame = true
            return
        }
        // Nothing of a compressed message in progress went out yet: it is dropped, its frame skipped.
        if terminating { deflate!.abandonMessage() }
        forwarding = false
        draining = true
    }

    /// The source's close frame went out: what it sends after it is read and dropped.
    func drainAfterClose() {
        forwarding = false
        draining = true
    }

    /// Forwarding only the rest of the frame in flight, then draining (`.frameFinished`).
    private(set) var finishingFrame = false

    /// The source broke the protocol or its limits: nothing more of it is parsed or forwarded; what it
    /// still sends is read and thrown away, so closing its socket does not reset our close frame away.
    func discardInput() {
        if terminating { abandonCompressedMessage() }
        forwarding = false
        draining = false
        discarding = true
        end = parsed
    }

    private(set) var discarding = false

    /// Whether a frame of the gateway's own may go out now (not inside a forwarded frame). A draining
    /// pump always finished its last forwarded frame first.
    var atFrameBoundary: Bool { (draining || payloadRemaining == 0) && !(terminating && deflate!.outgoingStarted) }

    /// Whether `size` more bytes fit now or after compaction (a full buffer waits for its destination).
    func hasRoom(for size: Int) -> Bool {
        buffer == nil || end - start + size <= pool.bufferSize
    }

    /// Puts a frame of the gateway's own into the outgoing stream at the current frame boundary.
    func inject(size: Int, _ write: (UnsafeMutableRawPointer) -> Int) -> Bool {
        guard atFrameBoundary else { return false }
        if buffer == nil { buffer = pool.acquire() }
        if end + size > pool.bufferSize { compact() }
        guard end + size <= pool.bufferSize, let buffer else { return false }
        let unparsed = end - parsed
        if unparsed > 0 { memmove(buffer + parsed + size, buffer + parsed, unparsed) }
        let written = write(buffer + parsed)
        // The frame is usually shorter than the room made for it: close the gap before the unparsed bytes.
        if unparsed > 0 && written < size { memmove(buffer + parsed + written, buffer + parsed + size, unparsed) }
        parsed += written
        end += written
        return true
    }

    enum FlushResult { case drained, blocked, failed(Int32) }

    /// Writes checked bytes to `destination` until done or it would block.
    @inline(__always)
    func flush(to destination: Endpoint, closingNext: Bool) -> FlushResult {
        if let buffer {
            while start < parsed {
                switch destination.write(from: buffer + start, count: parsed - start, closingNext: closingNext) {
                case .bytes(let n): start += n
                case .wouldBlock, .bytes(0): return .blocked
                case .failed(let e): return .failed(e)
                case .eof: return .failed(EPIPE)
                }
            }
        }
        if terminating, let blocked = flushOutgoing(to: destination, closingNext: closingNext) { return blocked }
        guard buffer != nil else { return .drained }
        if start == end {
            start = 0
            parsed = 0
            end = 0
            releaseBuffer()
        } else if start == parsed {
            compact()
        }
        return .drained
    }

    /// Writes the 101 response ahead of the frames that followed the upstream's response head.
    func replaceHead(length: Int, with response: [UInt8]) {
        guard let buffer else { return }
        let leftover = end - length
        precondition(response.count + leftover <= pool.bufferSize, "buffer too small for the 101 response")
        memmove(buffer + response.count, buffer + length, leftover)
        response.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        start = 0
        parsed = response.count
        end = response.count + leftover
    }

    var hasUnparsedBytes: Bool { end > parsed }

    enum FirstMessage {
        case incomplete
        case invalid(String)
        case message([UInt8])
    }

    /// Removes the source's first message (first-message authentication) and returns it unmasked: it
    /// must be one complete, unfragmented, masked text frame of at most `limit` bytes.
    func takeFirstMessage(limit: Int) -> FirstMessage {
        guard let buffer else { return .incomplete }
        let header: FrameHeader
        switch FrameHeader.parse(UnsafeRawBufferPointer(start: buffer + parsed, count: end - parsed)) {
        case .incomplete: return .incomplete
        case .invalid(let violation): return .invalid(violation.reason)
        case .header(let h): header = h
        }
        guard header.masked, header.rsv == 0 else { return .invalid("protocol error before authentication") }
        guard header.opcode == WSOpcode.text, header.fin else { return .invalid("expected a text message with the token") }
        guard header.payloadLength <= UInt64(limit) else { return .invalid("auth message too large") }
        let total = header.headerLength + Int(header.payloadLength)
        guard end - parsed >= total else { return .incomplete }
        var payload = [UInt8](UnsafeRawBufferPointer(start: buffer + parsed + header.headerLength, count: Int(header.payloadLength)))
        payload.withUnsafeMutableBytes { _ = applyMask($0, key: header.maskKey, phase: 0) }
        removeBytes(at: parsed, count: total)
        return .message(payload)
    }

    /// Marks the request head consumed; what followed it waits unparsed until the relay opens.
    func consumeHead(length: Int) {
        start = length
        parsed = length
        if start == end { reset() }
    }

    func reset() {
        start = 0
        parsed = 0
        end = 0
        payloadRemaining = 0
        deflate?.releaseMessage()
        releaseBuffer()
    }

    private func compact() {
        guard let buffer, start > 0 else { return }
        memmove(buffer, buffer + start, end - start)
        parsed -= start
        end -= start
        start = 0
    }

    func removeBytes(at offset: Int, count: Int) {
        guard count > 0, let buffer else { return }
        memmove(buffer + offset, buffer + offset + count, end - offset - count)
        end -= count
    }

    private func releaseBuffer() {
        if let buffer {
            pool.release(buffer)
            self.buffer = nil
        }
        if let nextPool {
            pool = nextPool
            self.nextPool = nil
        }
    }

    deinit { releaseBuffer() }
}
