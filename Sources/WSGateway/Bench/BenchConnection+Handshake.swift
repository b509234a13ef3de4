import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// Connect, TLS and the WebSocket upgrade: per-connection work, so it may allocate.
extension BenchConnection {
    /// Opens a new connection; a failure to even start counts and retries later.
    func start() {
        guard state == .stopped else { return }
        let plan = worker.plan
        nextToSend = 0
        nextToReceive = 0
        closeSent = false
        closeReceived = false
        closeInitiated = false
        tlsWantsWrite = false
        connectStarted = monotonicNanoseconds()
        do {
            fd = try Socket.connect(to: plan.address, source: source)
        } catch {
            stats.errors.connect += 1
            stats.note(error.description)
            releaseRampSlot()
            if signals.phase != .done {
                timer = loop.schedule(afterMilliseconds: Self.retryMilliseconds, target: self,
                                      kind: TimerKind.retry.rawValue)
            }
            return
        }
        state = .connecting
        interest = Interest.write
        do {
            try loop.register(fd: fd, handler: self, interest: interest)
        } catch {
            stats.errors.connect += 1
            stats.note(error.description)
            close(fd)
            fd = -1
            state = .stopped
            fail()
            return
        }
        timer = loop.schedule(afterMilliseconds: Self.handshakeTimeoutMilliseconds, target: self,
                              kind: TimerKind.deadline.rawValue)
    }

    func finishConnect() {
        let pending = Socket.pendingError(fd)
        guard pending == 0 else {
            stats.errors.connect += 1
            stats.note("connect: \(String(cString: strerror(pending)))")
            fail()
            return
        }
        Socket.setNoDelay(fd)
        guard let context = worker.plan.tls else {
            sendRequest()
            return
        }
        do {
            tls = try TLSSession(client: context, fd: fd, serverName: worker.plan.tlsServerName)
        } catch {
            stats.errors.tls += 1
            stats.note(error.description)
            fail()
            return
        }
        state = .tlsHandshake
        continueTLSHandshake()
    }

    func continueTLSHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            sendRequest()
        case .wantRead:
            tlsWantsWrite = false
        case .wantWrite:
            tlsWantsWrite = true
        case .failed(let error):
            stats.errors.tls += 1
            stats.note(error.description)
            fail()
        }
    }

    private func sendRequest() {
        let plan = worker.plan
        requestKey = WebSocketKey.generate()
        let request = ClientRequestWriter.build(
            host: plan.url.authority, target: plan.url.path, key: requestKey, headers: plan.headers)
        request.withUnsafeBytes { sendBuffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        sendStart = 0
        sendEnd = request.count
        received = 0
        responseParser = HTTPResponseHeadParser()
        state = .upgrading
        flush()
        if state == .upgrading && sendStart == sendEnd { readResponse() }
    }

    /// Reads until the response head is complete; TLS may hold more records than the socket shows.
    func readResponse() {
        repeat {
            guard received < receiveCapacity else {
                stats.errors.handshakeInvalid += 1
                stats.note("upgrade response head over \(receiveCapacity) bytes")
                fail()
                return
            }
            switch read(into: receiveBuffer + received, count: receiveCapacity - received) {
            case .bytes(let n): received += n
            case .wouldBlock: return
            case .eof:
                connectionLost("read: peer closed")
                return
            case .failed(let code):
                connectionLost("read: \(String(cString: strerror(code)))")
                return
            }
            let result: HTTPHeadParseResult<HTTPResponseHead>
            do {
                result = try responseParser.parse(UnsafeRawBufferPointer(start: receiveBuffer, count: received))
            } catch {
                stats.errors.handshakeInvalid += 1
                stats.note("unparsable upgrade response: \(error)")
                fail()
                return
            }
            if case .complete(let head, let headLength) = result {
                upgradeAnswered(head, headLength: headLength)
                return
            }
        } while tls?.hasBufferedPlaintext ?? false
    }

    private func upgradeAnswered(_ head: HTTPResponseHead, headLength: Int) {
        switch UpstreamResponseValidator.validate(
            head, key: requestKey, offeredSubprotocols: [], extensionsOffered: compression != nil
        ) {
        case .failure(let error):
            if let status = error.upstreamStatus {
                stats.errors.handshakeStatus[status, default: 0] += 1
                stats.note("upgrade refused: \(status) \(head.reason)")
            } else {
                stats.errors.handshakeInvalid += 1
                stats.note("invalid upgrade: \(error.reason)")
            }
            fail()
        case .success:
            if let compression, !startCompression(compression, head) { return }
            opened(headLength: headLength)
        }
    }

    /// `--deflate`: the 101 must agree to permessage-deflate, or the connection fails (a run measuring
    /// uncompressed traffic as compressed would be worthless).
    private func startCompression(_ compression: BenchCompression, _ head: HTTPResponseHead) -> Bool {
        switch BenchCompression.agreement(in: head.headers) {
        case .success(let agreement):
            compression.start(agreement)
            if stats.agreement == nil { stats.agreement = agreement.headerValue }
            return true
        case .failure(.declined):
            stats.errors.deflateDeclined += 1
            stats.note("the server did not agree to permessage-deflate (no Sec-WebSocket-Extensions in its 101)")
        case .failure(.invalid(let reason)):
            stats.errors.handshakeInvalid += 1
            stats.note("invalid permessage-deflate answer: \(reason)")
        }
        fail()
        return false
    }

    private func opened(headLength: Int) {
        let now = monotonicNanoseconds()
        if signals.measuring {
            stats.handshakes &+= 1
            stats.handshakeLatency.record(now &- connectStarted)
            if let tls, tls.isSessionReused { stats.resumedSessions &+= 1 }
        }
        loop.cancel(&timer)
        received -= headLength
        if received > 0 { memmove(receiveBuffer, receiveBuffer + headLength, received) }
        state = .open
        isUp = true
        signals.connectionUp()
        releaseRampSlot()
        switch mode {
        case .load:
            if paced { worker.startWhenDue(self) } else { queueMessages(depth, sentAt: now) }
        case .churn:
            queueMessages(1, sentAt: now)
        case .idle:
            break
        }
        flush()
        if state == .open && received > 0 { processFrames() }
        if state == .open && (tls?.hasBufferedPlaintext ?? false) { readFrames() }
    }
}
