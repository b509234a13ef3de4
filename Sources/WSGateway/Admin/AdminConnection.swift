import Glibc
import WSHTTP
import WSIO

/// One admin HTTP/1.1 exchange on the admin loop: read a small request head within a short time,
/// answer once, close.
final class AdminConnection: EventHandler, TimerTarget {
    enum State { case reading, answering, writing, closed }

    /// A request head larger than this is refused (431/414): admin requests are a line and a few headers.
    static let limits = HTTPLimits(maxRequestLine: 2_048, maxHeadSize: 8_192, maxHeaderCount: 50)
    /// The whole exchange must finish within this time.
    static let timeoutMilliseconds: UInt64 = 5_000

    private unowned let server: AdminServer
    private let fd: Int32
    private var loop: EventLoop { server.loop }
    private(set) var state = State.reading
    private var input: [UInt8] = []
    private var parser = HTTPRequestHeadParser(limits: AdminConnection.limits)
    private var output: [UInt8] = []
    private var written = 0
    private var deadline = TimerID.none

    init(fd: Int32, server: AdminServer) {
        self.fd = fd
        self.server = server
    }

    func start() {
        do {
            try loop.register(fd: fd, handler: self, interest: Interest.read)
        } catch {
            Glibc.close(fd)
            state = .closed
            server.connectionClosed()
            return
        }
        deadline = loop.schedule(afterMilliseconds: Self.timeoutMilliseconds, target: self, kind: 0)
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        switch state {
        case .reading: readRequest()
        case .answering:
            // Nothing is read while the answer is gathered; only a hang-up arrives here.
            if events & (Interest.hangup | Interest.error) != 0 { close() }
        case .writing: flush()
        case .closed: break
        }
    }

    func timerFired(kind: Int32) {
        deadline = .none
        close()
    }

    /// Sends `response` unless the client is gone already, then closes.
    func send(_ response: AdminResponse) {
        guard state == .reading || state == .answering else { return }
        output = response.bytes
        written = 0
        state = .writing
        flush()
    }

    private func readRequest() {
        let result = withUnsafeTemporaryAllocation(byteCount: 4_096, alignment: 8) { scratch -> IOResult in
            let result = Socket.read(fd, into: scratch.baseAddress!, count: scratch.count)
            if case .bytes(let count) = result { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count])) }
            return result
        }
        switch result {
        case .bytes: break
        case .wouldBlock: return
        case .eof, .failed:
            close()
            return
        }
        let parsed = input.withUnsafeBytes { raw -> Result<HTTPHeadParseResult<HTTPRequestHead>, HTTPHeadError> in
            do throws(HTTPHeadError) {
                return .success(try parser.parse(raw))
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let error) = parsed {
            send(.text(error.status, error.reason))
            return
        }
        guard case .success(.complete(let head, _)) = parsed else { return }
        state = .answering
        loop.modify(fd: fd, interest: 0)
        server.answer(head, on: self)
    }

    private func flush() {
        while written < output.count {
            let result = output.withUnsafeBytes { raw in
                Socket.write(fd, from: raw.baseAddress! + written, count: raw.count - written)
            }
            switch result {
            case .bytes(let count): written += count
            case .wouldBlock:
                loop.modify(fd: fd, interest: Interest.write)
                return
            case .eof, .failed:
                close()
                return
            }
        }
        close()
    }

    private func close() {
        guard state != .closed else { return }
        state = .closed
        loop.cancel(&deadline)
        loop.forget(fd: fd)
        Glibc.close(fd)
        server.connectionClosed()
    }
}
