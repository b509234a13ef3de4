import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// A WebSocket echo server's connection: every data frame comes back as it was sent, unmasked.
///
/// Frames are rewritten in place in one buffer: output (`[outStart, outEnd)`) always lies before the
/// unread input (`[scan, end)`), because a server frame is 4 bytes shorter than the masked client
/// frame it answers. The connection stops reading while output is pending, which is its backpressure.
/// With permessage-deflate negotiated, a compressed message is echoed through `EchoDeflate` instead, and
/// the scan stops until its echo is written, so echoes leave in the order their messages came.
final class EchoConnection: EventHandler, TimerTarget {
    private unowned let loop: EventLoop
    private let pool: BufferPool
    private let fd: Int32
    private var tls: TLSSession?
    private var buffer: UnsafeMutableRawPointer?
    private var outStart = 0, outEnd = 0, scan = 0, end = 0
    private var payloadRemaining: UInt64 = 0
    private var maskKey: UInt32 = 0
    private var maskPhase = 0
    private var validator = FrameSequenceValidator(requireMasked: true)
    /// Whether to negotiate permessage-deflate with clients that offer it.
    private let negotiatesDeflate: Bool
    private var deflate: EchoDeflate?
    private var parser = HTTPRequestHeadParser()
    private var upgraded = false
    private var tlsDone: Bool
    private var closing = false
    private var interest = Interest.read
    private var deadline = TimerID.none
    private let onClose: (EchoConnection) -> Void
    var registryIndex = -1

    init(fd: Int32, loop: EventLoop, pool: BufferPool, tls: TLSServerContext?, negotiatesDeflate: Bool,
         onClose: @escaping (EchoConnection) -> Void) {
        self.fd = fd
        self.negotiatesDeflate = negotiatesDeflate
        self.loop = loop
        self.pool = pool
        self.onClose = onClose
        self.tls = tls.flatMap { try? TLSSession(server: $0, fd: fd) }
        tlsDone = tls == nil
    }

    func start() {
        do {
            try loop.register(fd: fd, handler: self, interest: Interest.read)
        } catch {
            finish()
            return
        }
        deadline = loop.schedule(afterMilliseconds: 10_000, target: self, kind: 0)
    }

    func timerFired(kind: Int32) {
        deadline = .none
        if !upgraded || closing { finish() }
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        if !tlsDone {
            handshakeTLS()
        } else if hasPendingOutput {
            flush()
            // A compressed message's echo held the scan up: the frames behind it are buffered already.
            if !finished && !hasPendingOutput { echoAndFlush() }
        } else {
            readAndEcho()
        }
        guard self.fd >= 0, !finished else { return }
        let wanted = hasPendingOutput ? Interest.write : Interest.read
        if wanted != interest {
            interest = wanted
            loop.modify(fd: fd, interest: wanted)
        }
    }

    private var finished = false

    private var hasPendingOutput: Bool { outStart < outEnd || (deflate?.replyPending ?? false) }

    private func handshakeTLS() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            tlsDone = true
            readAndEcho()
        case .wantRead, .wantWrite: break
        case .failed: finish()
        }
    }

    private func read(into pointer: UnsafeMutableRawPointer, count: Int) -> IOResult {
        guard let tls else { return Socket.read(fd, into: pointer, count: count) }
        return tls.read(into: UnsafeMutableRawBufferPointer(start: pointer, count: count)).readOutcome
    }

    private func write(from pointer: UnsafeRawPointer, count: Int) -> IOResult {
        guard let tls else { return Socket.write(fd, from: pointer, count: count) }
        return tls.write(UnsafeRawBufferPointer(start: pointer, count: count)).writeOutcome
    }

    private func readAndEcho() {
        var rounds = 0
        repeat {
            if buffer == nil { buffer = pool.acquire() }
            if end == pool.bufferSize { compactInput() }
            guard end < pool.bufferSize else {
                finish()
                return
            }
            switch read(into: buffer! + end, count: pool.bufferSize - end) {
            case .bytes(let n): end += n
            case .wouldBlock:
                releaseIfEmpty()
                return
            case .eof, .failed:
                finish()
                return
            }
            if !upgraded { answerHandshake() }
            if upgraded && !finished { echoAndFlush() }
            if finished { return }
            rounds += 1
        } while !finished && !hasPendingOutput && (tls?.hasBufferedPlaintext ?? false) && rounds < 16
    }

    /// Echoes the buffered frames and writes the result; goes round again while a compressed message's
    /// echo stopped the scan and has been written since.
    private func echoAndFlush() {
        var stoppedForReply: Bool
        repeat {
            stoppedForReply = echoFrames()
            if finished { return }
            flush()
        } while stoppedForReply && !finished && !hasPendingOutput
    }

    private func answerHandshake() {
        let head: HTTPRequestHead
        let headLength: Int
        do {
            guard case .complete(let h, let length) = try parser.parse(UnsafeRawBufferPointer(start: buffer!, count: end))
            else { return }
            head = h
            headLength = length
        } catch {
            respondAndClose(HTTPResponseWriter.errorResponse(status: error.status, body: error.reason))
            return
        }
        switch ClientHandshakeValidator.validate(head) {
        case .failure(let rejection):
            respondAndClose(rejection.response)
        case .success(let request):
            var extensionHeaders: [(String, String)] = []
            if negotiatesDeflate, let agreement = DeflateNegotiation.negotiate(
                offers: ExtensionList.parse(head.headers.values("Sec-WebSocket-Extensions"))
            ) {
                deflate = EchoDeflate(agreement)
                validator = FrameSequenceValidator(requireMasked: true, allowedRSV: 0x40)
                extensionHeaders = [("Sec-WebSocket-Extensions", agreement.headerValue)]
            }
            let response = ServerHandshakeWriter.switchingProtocols(
                key: request.key, subprotocol: request.subprotocols.first, extraHeaders: extensionHeaders)
            // The 101 goes out ahead of any frames the client sent right behind its request; with an
            // extension header it can be longer than the request head.
            let leftover = end - headLength
            guard response.count + leftover <= pool.bufferSize else {
                finish()
                return
            }
            upgraded = true
            loop.cancel(&deadline)
            memmove(buffer! + response.count, buffer! + headLength, leftover)
            response.withUnsafeBytes { buffer!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            outStart = 0
            outEnd = response.count
            scan = response.count
            end = response.count + leftover
        }
    }

    private func respondAndClose(_ response: [UInt8]) {
        _ = response.withUnsafeBytes { write(from: $0.baseAddress!, count: $0.count) }
        finish()
    }

    /// Echoes every complete frame in `[scan, end)`; true when it stopped at a compressed message's echo,
    /// which must be written before the frames behind it.
    @discardableResult
    private func echoFrames() -> Bool {
        guard let buffer else { return false }
        while scan < end && !closing {
            if let deflate, deflate.frameRemaining > 0 {
                let n = Int(min(deflate.frameRemaining, UInt64(end - scan)))
                let code = deflate.consume(UnsafeMutableRawBufferPointer(start: buffer + scan, count: n))
                scan += n
                if let code {
                    sendClose(code: code)
                    return false
                }
                if deflate.replyPending { return true }
                continue
            }
            if payloadRemaining > 0 {
                let n = Int(min(payloadRemaining, UInt64(end - scan)))
                maskPhase = applyMask(UnsafeMutableRawBufferPointer(start: buffer + scan, count: n), key: maskKey, phase: maskPhase)
                memmove(buffer + outEnd, buffer + scan, n)
                outEnd += n
                scan += n
                payloadRemaining -= UInt64(n)
                continue
            }
            let header: FrameHeader
            switch FrameHeader.parse(UnsafeRawBufferPointer(start: buffer + scan, count: end - scan)) {
            case .incomplete: return false
            case .invalid(let violation):
                sendClose(code: violation.closeCode)
                return false
            case .header(let h): header = h
            }
            if let violation = validator.check(header) {
                sendClose(code: violation.closeCode)
                return false
            }
            if WSOpcode.isControl(header.opcode) {
                let total = header.headerLength + Int(header.payloadLength)
                guard end - scan >= total else { return false }
                answerControlFrame(header, total: total)
                continue
            }
            if let deflate, deflate.takes(header) {
                scan += header.headerLength
                if let code = deflate.begin(header) {
                    sendClose(code: code)
                    return false
                }
                if deflate.replyPending { return true }
                continue
            }
            outEnd += FrameWriter.writeHeader(into: buffer + outEnd, fin: header.fin, opcode: header.opcode,
                                              payloadLength: Int(header.payloadLength), maskKey: nil)
            scan += header.headerLength
            payloadRemaining = header.payloadLength
            maskKey = header.maskKey
            maskPhase = 0
        }
        return false
    }

    private func answerControlFrame(_ header: FrameHeader, total: Int) {
        let buffer = buffer!
        let payload = UnsafeMutableRawBufferPointer(start: buffer + scan + header.headerLength, count: Int(header.payloadLength))
        _ = applyMask(payload, key: header.maskKey, phase: 0)
        switch header.opcode {
        case WSOpcode.ping:
            let headerLength = FrameWriter.writeHeader(into: buffer + outEnd, fin: true, opcode: WSOpcode.pong,
                                                       payloadLength: payload.count, maskKey: nil)
            memmove(buffer + outEnd + headerLength, payload.baseAddress!, payload.count)
            outEnd += headerLength + payload.count
            scan += total
        case WSOpcode.close:
            scan += total
            switch ClosePayload.parse(UnsafeRawBufferPointer(payload)) {
            case .success(let close): sendClose(code: close.code ?? CloseCode.normal.rawValue)
            case .failure(let violation): sendClose(code: violation.closeCode)
            }
        default:
            scan += total
        }
    }

    /// Answers with a close frame carrying `code` and reads nothing more.
    private func sendClose(code: UInt16) {
        guard let buffer, !closing else { return }
        closing = true
        end = scan
        guard outEnd + 4 <= pool.bufferSize else {
            finish()
            return
        }
        outEnd += FrameWriter.writeCloseFrame(into: buffer + outEnd, code: code, reason: "", maskKey: nil)
        scan = max(scan, outEnd)
        end = scan
        loop.cancel(&deadline)
        deadline = loop.schedule(afterMilliseconds: 5_000, target: self, kind: 0)
    }

    private func flush() {
        guard let buffer else { return }
        while outStart < outEnd {
            switch write(from: buffer + outStart, count: outEnd - outStart) {
            case .bytes(let n): outStart += n
            case .wouldBlock: return
            case .eof, .failed:
                finish()
                return
            }
        }
        if let deflate, deflate.replyPending {
            var failed = false
            guard deflate.writeReply({ write(from: $0, count: $1) }, failed: &failed) else {
                if failed { finish() }
                return
            }
        }
        if closing {
            finish()
            return
        }
        outStart = 0
        outEnd = 0
        compactInput()
        releaseIfEmpty()
    }

    private func compactInput() {
        guard let buffer, scan > outEnd else { return }
        memmove(buffer + outEnd, buffer + scan, end - scan)
        end -= scan - outEnd
        scan = outEnd
    }

    private func releaseIfEmpty() {
        if let buffer, end == 0 {
            pool.release(buffer)
            self.buffer = nil
        }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        loop.cancel(&deadline)
        if let tls { tls.shutdown() }
        tls = nil
        loop.forget(fd: fd)
        close(fd)
        if let buffer {
            pool.release(buffer)
            self.buffer = nil
        }
        onClose(self)
    }
}
