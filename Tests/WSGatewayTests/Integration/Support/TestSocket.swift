import Glibc
import WSIO
import WSTLS

/// Why a test connection could not do what was asked, with what it saw.
struct TestSocketError: Error, CustomStringConvertible {
    let description: String
}

/// A point in monotonic time by which a blocking test operation must finish.
struct Deadline {
    let seconds: Double

    static func after(_ timeout: Double) -> Deadline { Deadline(seconds: now() + timeout) }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    var remaining: Double { seconds - Deadline.now() }
    var passed: Bool { remaining <= 0 }
}

/// A TCP connection (optionally TLS) for tests: non-blocking underneath, every wait bounded by a deadline,
/// with an input buffer so that sending can keep taking in what the peer sends (no deadlock when both
/// sides push megabytes at once).
///
/// `@unchecked Sendable`: a socket is handed whole to one thread (a test or an upstream script) and used
/// only there.
final class TestSocket: @unchecked Sendable {
    private(set) var fd: Int32
    private var tls: TLSSession?
    private var input: [UInt8] = []
    private var inputStart = 0
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 262_144, alignment: 16)
    /// The peer ended its stream (FIN, close_notify or a reset: tests care that it ended, not how).
    private(set) var reachedEOF = false
    /// Seconds any single operation may take unless told otherwise.
    var timeout: Double

    init(fd: Int32, timeout: Double = 10) {
        Self.ignoreBrokenPipes
        self.fd = fd
        self.timeout = timeout
        Socket.setNoDelay(fd)
    }

    /// Writing to a connection the peer has closed must fail the write, not kill the test process.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Connects to `host:port` on the loopback (or any numeric address).
    static func connect(port: UInt16, host: String = "127.0.0.1", timeout: Double = 10) throws -> TestSocket {
        guard let address = SocketAddress(host: host, port: port) else {
            throw TestSocketError(description: "not a numeric address: \(host)")
        }
        let fd = try Socket.connect(to: address)
        let socket = TestSocket(fd: fd, timeout: timeout)
        guard try socket.poll(Int16(POLLOUT), deadline: .after(timeout)) else {
            throw TestSocketError(description: "connect to \(address) timed out")
        }
        let error = Socket.pendingError(fd)
        guard error == 0 else {
            throw TestSocketError(description: "connect to \(address): \(String(cString: strerror(error)))")
        }
        return socket
    }

    deinit {
        close()
        scratch.deallocate()
    }

    func close() {
        if fd >= 0 {
            tls = nil
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Closes with a reset instead of a FIN (SO_LINGER 0), as a connection torn down mid-stream is.
    func abort() {
        Socket.abort(fd)
        fd = -1
    }

    /// Runs a TLS client handshake over the connection.
    func startTLS(_ context: TLSClientContext, serverName: String?) throws {
        let session = try TLSSession(client: context, fd: fd, serverName: serverName)
        let deadline = Deadline.after(timeout)
        while true {
            switch session.handshake() {
            case .done:
                tls = session
                return
            case .wantRead: try waitOrThrow(Int16(POLLIN), deadline, "TLS handshake")
            case .wantWrite: try waitOrThrow(Int16(POLLOUT), deadline, "TLS handshake")
            case .failed(let error): throw TestSocketError(description: "TLS handshake failed: \(error)")
            }
        }
    }

    // MARK: Sending

    func send(_ bytes: [UInt8], timeout: Double? = nil) throws {
        try bytes.withUnsafeBytes { try send($0, timeout: timeout) }
    }

    func send(_ text: String, timeout: Double? = nil) throws { try send(Array(text.utf8), timeout: timeout) }

    /// Sends every byte; while the socket is full, reads whatever arrives into the input buffer.
    func send(_ bytes: UnsafeRawBufferPointer, timeout: Double? = nil) throws {
        let deadline = Deadline.after(timeout ?? self.timeout)
        var offset = 0
        while offset < bytes.count {
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + 65_536)])
            if let tls {
                switch tls.write(chunk) {
                case .bytes(let n): offset += n
                case .wantWrite: try waitWhileTakingInput(deadline)
                case .wantRead: try waitOrThrow(Int16(POLLIN), deadline, "sending")
                case .closed: throw TestSocketError(description: "peer closed while \(bytes.count - offset) bytes were unsent")
                case .failed(let error): throw TestSocketError(description: "TLS write failed: \(error)")
                }
                continue
            }
            let n = Glibc.write(fd, chunk.baseAddress, chunk.count)
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                try waitWhileTakingInput(deadline)
            } else {
                throw TestSocketError(description: "write failed after \(offset) bytes: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Waits until writable; if input arrives meanwhile, buffers it so the peer can go on writing.
    private func waitWhileTakingInput(_ deadline: Deadline) throws {
        let events = try pollEvents(Int16(POLLOUT) | (reachedEOF ? 0 : Int16(POLLIN)), deadline: deadline)
        guard events != 0 else { throw TestSocketError(description: "sending timed out (peer not reading)") }
        if events & Int16(POLLIN) != 0 { try readOnce() }
    }

    // MARK: Receiving

    /// Bytes received and not yet consumed.
    var bufferedCount: Int { input.count - inputStart }

    /// Reads once more into the input buffer, waiting up to the deadline; false at end of stream.
    @discardableResult
    func fill(deadline: Deadline) throws -> Bool {
        let before = bufferedCount
        while bufferedCount == before && !reachedEOF {
            if tls?.hasBufferedPlaintext != true {
                try waitOrThrow(Int16(POLLIN), deadline, "reading (have \(before) unconsumed bytes)")
            }
            try readOnce()
        }
        return bufferedCount > before
    }

    /// One non-blocking read into the input buffer.
    private func readOnce() throws {
        let n: Int
        if let tls {
            switch tls.read(into: scratch) {
            case .bytes(let count): n = count
            case .wantRead, .wantWrite: n = 0
            case .closed:
                reachedEOF = true
                n = 0
            case .failed(let error):
                throw TestSocketError(description: "TLS read failed: \(error)")
            }
        } else {
            let count = Glibc.read(fd, scratch.baseAddress, scratch.count)
            if count == 0 || count < 0 && errno == ECONNRESET {
                reachedEOF = true
            } else if count < 0 && errno != EAGAIN && errno != EINTR {
                throw TestSocketError(description: "read failed: \(String(cString: strerror(errno)))")
            }
            n = max(0, count)
        }
        if n > 0 { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<n])) }
    }

    /// Consumes exactly `count` bytes.
    func read(exactly count: Int, timeout: Double? = nil) throws -> [UInt8] {
        let deadline = Deadline.after(timeout ?? self.timeout)
        while bufferedCount < count {
            guard try fill(deadline: deadline) else {
                throw TestSocketError(description: "stream ended with \(bufferedCount) of \(count) bytes")
            }
        }
        return consume(count)
    }

    /// Consumes through the first occurrence of `delimiter`.
    func read(through delimiter: [UInt8], timeout: Double? = nil) throws -> [UInt8] {
        let deadline = Deadline.after(timeout ?? self.timeout)
        var searched = 0
        while true {
            if let end = find(delimiter, from: searched) { return consume(end - inputStart) }
            searched = max(0, bufferedCount - delimiter.count + 1)
            guard try fill(deadline: deadline) else {
                throw TestSocketError(description: "stream ended before \(delimiter) in \(String(decoding: peek(), as: UTF8.self))")
            }
        }
    }

    /// Waits for the stream to end, discarding what arrives; false if it is still open at the deadline.
    func waitForEnd(timeout: Double) throws -> Bool {
        let deadline = Deadline.after(timeout)
        while !reachedEOF {
            _ = consume(bufferedCount)
            let ready = try tls?.hasBufferedPlaintext == true || pollEvents(Int16(POLLIN), deadline: deadline) != 0
            guard ready else { return false }
            try readOnce()
        }
        return true
    }

    /// Whether anything (data or end of stream) arrives within `timeout`, without consuming it.
    func hasInput(within timeout: Double) throws -> Bool {
        if bufferedCount > 0 || reachedEOF { return true }
        let deadline = Deadline.after(timeout)
        while !deadline.passed {
            let ready = try tls?.hasBufferedPlaintext == true || pollEvents(Int16(POLLIN), deadline: deadline) != 0
            guard ready else { return false }
            try readOnce()
            if bufferedCount > 0 || reachedEOF { return true }
        }
        return false
    }

    func peek() -> [UInt8] { Array(input[inputStart...]) }

    private func consume(_ count: Int) -> [UInt8] {
        let bytes = Array(input[inputStart..<inputStart + count])
        inputStart += count
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        } else if inputStart > 1 << 20 && inputStart > input.count / 2 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
        return bytes
    }

    /// Index just past the first `delimiter` at or after `offset` bytes into the unconsumed input.
    private func find(_ delimiter: [UInt8], from offset: Int) -> Int? {
        var i = inputStart + offset
        while i + delimiter.count <= input.count {
            if input[i] == delimiter[0] && input[i..<i + delimiter.count].elementsEqual(delimiter) {
                return i + delimiter.count
            }
            i += 1
        }
        return nil
    }

    // MARK: Waiting

    private func waitOrThrow(_ events: Int16, _ deadline: Deadline, _ what: String) throws {
        guard try poll(events, deadline: deadline) else {
            throw TestSocketError(description: "\(what) timed out")
        }
    }

    private func poll(_ events: Int16, deadline: Deadline) throws -> Bool {
        try pollEvents(events, deadline: deadline) != 0
    }

    /// The events that became ready (hang-up and error count as readable/writable), or 0 at the deadline.
    private func pollEvents(_ events: Int16, deadline: Deadline) throws -> Int16 {
        while true {
            let milliseconds = Int32(max(0, min(deadline.remaining * 1000, 60_000)).rounded(.up))
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let rc = Glibc.poll(&entry, 1, milliseconds)
            if rc > 0 {
                let hangup = entry.revents & Int16(POLLHUP | POLLERR) != 0 ? events : 0
                return entry.revents & events | hangup
            }
            if rc == 0 && deadline.passed { return 0 }
            if rc < 0 && errno != EINTR {
                throw TestSocketError(description: "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}
