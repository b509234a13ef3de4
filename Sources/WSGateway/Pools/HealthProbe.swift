import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// The active check of one member: every `interval` after the previous probe ended, one non-blocking
/// probe on the health loop (connect, TLS for `wss://`, then an HTTP GET or a WebSocket upgrade, with a
/// ping if asked), bounded by `timeout`. Results go to the pool's monitor.
final class HealthProbe: EventHandler, TimerTarget {
    private enum Phase { case idle, connecting, tlsHandshake, sending, receiving }
    private enum TimerKind: Int32 { case next, timeout }

    let member: UpstreamMember
    private let check: HealthCheckConfig
    /// Request target of `http` and `ws` probes.
    private let target: String
    private let tlsContext: TLSClientContext?
    private unowned let loop: EventLoop
    private unowned let monitor: PoolMonitor
    private var side = Endpoint(role: .upstream)
    private var phase = Phase.idle
    private var tlsInterest = Interest.write
    private var output: [UInt8] = []
    private var written = 0
    private var input: [UInt8] = []
    private var parser = HTTPResponseHeadParser()
    private var key = ""
    /// Set once the 101 is in and a ping went out: the offset in `input` where frames start.
    private var framesStart: Int?
    private var pingToken: [UInt8] = []
    private var nextTimer = TimerID.none
    private var timeoutTimer = TimerID.none
    private var stopped = false
    /// A probe is running (between `begin` and `finish`).
    private var inFlight = false

    init(member: UpstreamMember, check: HealthCheckConfig, tls: TLSClientContext?, loop: EventLoop, monitor: PoolMonitor) {
        self.member = member
        self.check = check
        target = check.path ?? (check.kind == .ws ? member.url.path : "/")
        tlsContext = tls
        self.loop = loop
        self.monitor = monitor
    }

    /// A probe dropped with its loop (the gateway stopped without a shutdown) still closes its socket.
    deinit {
        if side.fd >= 0 { close(side.fd) }
    }

    /// Schedules the first probe (spread over the interval so a pool's probes do not all fire at once).
    func start(afterMilliseconds delay: UInt64) {
        nextTimer = loop.schedule(afterMilliseconds: max(1, delay), target: self, kind: TimerKind.next.rawValue)
    }

    /// Ends the probe in flight and schedules no more.
    func stop() {
        stopped = true
        loop.cancel(&nextTimer)
        loop.cancel(&timeoutTimer)
        closeSocket()
    }

    func timerFired(kind: Int32) {
        switch TimerKind(rawValue: kind) {
        case .next:
            nextTimer = .none
            begin()
        case .timeout:
            timeoutTimer = .none
            finish(passed: false, "no answer within \(check.timeout) ms")
        case nil: break
        }
    }

    private func begin() {
        guard !stopped else { return }
        inFlight = true
        timeoutTimer = loop.schedule(afterMilliseconds: UInt64(check.timeout), target: self, kind: TimerKind.timeout.rawValue)
        do {
            side.fd = try Socket.connect(to: member.address)
            try loop.register(fd: side.fd, handler: self, interest: Interest.write)
            side.registered = true
            side.interest = Interest.write
            phase = .connecting
        } catch {
            finish(passed: false, error.description)
        }
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        switch phase {
        case .connecting: connected()
        case .tlsHandshake: driveTLS()
        case .sending: send()
        case .receiving: receive()
        case .idle: break
        }
        guard phase != .idle else { return }
        let wanted: UInt32 = switch phase {
        case .connecting, .sending: Interest.write
        case .tlsHandshake: tlsInterest
        case .receiving, .idle: Interest.read
        }
        if wanted != side.interest {
            side.interest = wanted
            loop.modify(fd: side.fd, interest: wanted)
        }
    }

    private func connected() {
        let error = Socket.pendingError(side.fd)
        guard error == 0 else {
            finish(passed: false, IOError("connect", errno: error, context: member.name).description)
            return
        }
        guard member.url.secure else {
            request()
            return
        }
        do throws(TLSError) {
            guard let tlsContext else { throw TLSError(operation: "starting TLS", reason: "no client context") }
            side.tls = try TLSSession(client: tlsContext, fd: side.fd, serverName: member.url.host)
        } catch {
            finish(passed: false, error.description)
            return
        }
        phase = .tlsHandshake
        driveTLS()
    }

    private func driveTLS() {
        guard let tls = side.tls else { return }
        switch tls.handshake() {
        case .done: request()
        case .wantRead: tlsInterest = Interest.read
        case .wantWrite: tlsInterest = Interest.write
        case .failed(let error):
            side.failed = true
            finish(passed: false, error.description)
        }
    }

    /// The connection is open: a `tcp` check has passed; the others send their request.
    private func request() {
        switch check.kind {
        case .tcp:
            finish(passed: true, "")
            return
        case .http:
            output = HTTPRequestWriter.head(method: "GET", target: target, headers: [
                ("Host", member.authority), ("User-Agent", "wsgate-health-check"), ("Connection", "close"),
            ])
        case .ws:
            key = WebSocketKey.generate()
            output = ClientRequestWriter.build(host: member.authority, target: target, key: key,
                                               headers: [("User-Agent", "wsgate-health-check")])
        }
        send()
    }

    private func send() {
        phase = .sending
        while written < output.count {
            let result = output.withUnsafeBytes { raw in side.write(from: raw.baseAddress! + written, count: raw.count - written) }
            switch result {
            case .bytes(let count): written += count
            case .wouldBlock: return
            case .eof, .failed:
                finish(passed: false, "connection closed while sending the request")
                return
            }
        }
        output = []
        written = 0
        phase = .receiving
    }

    /// Reads all there is (a probe is not the data path: reading to EAGAIN is simplest), then judges it.
    private func receive() {
        var ended = false
        reading: while true {
            let result = withUnsafeTemporaryAllocation(byteCount: 4_096, alignment: 8) { scratch -> IOResult in
                let result = side.read(into: scratch.baseAddress!, count: scratch.count)
                if case .bytes(let count) = result { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count])) }
                return result
            }
            switch result {
            case .bytes: continue
            case .wouldBlock: break reading
            case .eof, .failed:
                ended = true
                break reading
            }
        }
        if evaluate() { return }
        if ended {
            finish(passed: false, "connection closed before a complete answer")
        } else if input.count > 65_536 {
            finish(passed: false, "answer too long")
        }
    }

    /// Judges what arrived; true once the probe is decided (or went on to the ping).
    private func evaluate() -> Bool {
        if let framesStart { return findPong(from: framesStart) }
        let parsed = input.withUnsafeBytes { raw -> Result<HTTPHeadParseResult<HTTPResponseHead>, HTTPHeadError> in
            do throws(HTTPHeadError) {
                return .success(try parser.parse(raw))
            } catch {
                return .failure(error)
            }
        }
        let result: HTTPHeadParseResult<HTTPResponseHead>
        switch parsed {
        case .success(let value): result = value
        case .failure(let error):
            finish(passed: false, "invalid response: \(error.reason)")
            return true
        }
        guard case .complete(let head, let length) = result else { return false }
        switch check.kind {
        case .tcp, .http:
            if (200...299).contains(head.status) {
                finish(passed: true, "")
            } else {
                finish(passed: false, "answered \(head.status)")
            }
        case .ws:
            switch UpstreamResponseValidator.validate(head, key: key, offeredSubprotocols: []) {
            case .failure(let failure): finish(passed: false, failure.reason)
            case .success:
                guard check.ping else {
                    sayGoodbye()
                    finish(passed: true, "")
                    return true
                }
                framesStart = length
                sendPing()
            }
        }
        return true
    }

    private func sendPing() {
        pingToken = (0..<8).map { _ in UInt8.random(in: 0...255) }
        var frame = [UInt8](repeating: 0, count: 14)
        let size = frame.withUnsafeMutableBytes { out in
            pingToken.withUnsafeBytes { payload in
                FrameWriter.writeControlFrame(into: out.baseAddress!, opcode: WSOpcode.ping, payload: payload,
                                              maskKey: UInt32.random(in: 1...UInt32.max))
            }
        }
        output = Array(frame[..<size])
        written = 0
        send()
    }

    /// Scans the frames after the 101 for the pong carrying our token (other frames are skipped).
    private func findPong(from start: Int) -> Bool {
        var offset = start
        while offset < input.count {
            let parsed = input.withUnsafeBytes { raw in
                FrameHeader.parse(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            guard case .header(let header) = parsed else {
                if case .invalid(let violation) = parsed {
                    finish(passed: false, "invalid frame: \(violation.reason)")
                    return true
                }
                return false
            }
            let total = header.headerLength + Int(header.payloadLength)
            guard input.count - offset >= total else { return false }
            let payload = Array(input[(offset + header.headerLength)..<(offset + total)])
            if header.opcode == WSOpcode.pong && payload == pingToken {
                sayGoodbye()
                finish(passed: true, "")
                return true
            }
            if header.opcode == WSOpcode.close {
                finish(passed: false, "closed instead of answering the ping")
                return true
            }
            offset += total
        }
        return false
    }

    /// A polite close frame after a passing WebSocket probe (best effort: the socket closes right after).
    private func sayGoodbye() {
        var frame = [UInt8](repeating: 0, count: 32)
        let size = frame.withUnsafeMutableBytes { out in
            FrameWriter.writeCloseFrame(into: out.baseAddress!, code: CloseCode.normal.rawValue, reason: "health check",
                                        maskKey: UInt32.random(in: 1...UInt32.max))
        }
        _ = frame.withUnsafeBytes { side.write(from: $0.baseAddress!, count: size) }
    }

    private func finish(passed: Bool, _ detail: String) {
        guard inFlight else { return }
        inFlight = false
        loop.cancel(&timeoutTimer)
        closeSocket()
        monitor.probeFinished(self, passed: passed, detail: detail)
        guard !stopped else { return }
        nextTimer = loop.schedule(afterMilliseconds: UInt64(check.interval), target: self, kind: TimerKind.next.rawValue)
    }

    private func closeSocket() {
        if side.fd >= 0 {
            if let tls = side.tls, !side.failed { tls.shutdown() }
            side.tls = nil
            loop.forget(fd: side.fd)
            close(side.fd)
        }
        side = Endpoint(role: .upstream)
        phase = .idle
        input = []
        output = []
        written = 0
        parser = HTTPResponseHeadParser()
        framesStart = nil
    }
}
