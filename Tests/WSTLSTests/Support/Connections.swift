import Testing

@testable import WSTLS

/// Both ends' handshake errors (nil = that side completed).
struct HandshakeOutcome {
    var client: TLSError?
    var server: TLSError?
    var succeeded: Bool { client == nil && server == nil }
}

/// A loopback connection with a TLS session on each end.
final class TLSConnection {
    let sockets: LoopbackPair
    let client: TLSSession
    let server: TLSSession

    init(
        server serverContext: TLSServerContext, client clientContext: TLSClientContext, serverName: String?,
        smallBuffers: Bool = false
    ) throws {
        sockets = try LoopbackPair(smallBuffers: smallBuffers)
        client = try TLSSession(client: clientContext, fd: sockets.client, serverName: serverName)
        server = try TLSSession(server: serverContext, fd: sockets.server)
    }

    /// Runs both handshakes until both finish or one fails.
    func handshake() throws -> HandshakeOutcome {
        var outcome = HandshakeOutcome()
        func actor(_ session: TLSSession, _ fd: Int32, _ record: @escaping (TLSError) -> Void) -> (
            fd: Int32, step: () -> PumpStep
        ) {
            (
                fd,
                {
                    switch session.handshake() {
                    case .done: return .finished
                    case .wantRead: return .waitRead
                    case .wantWrite: return .waitWrite
                    case .failed(let error):
                        record(error)
                        return .stopAll
                    }
                }
            )
        }
        try pump([
            actor(client, sockets.client) { outcome.client = $0 },
            actor(server, sockets.server) { outcome.server = $0 },
        ])
        return outcome
    }

    /// Handshakes and records a test issue if either side failed.
    static func established(
        server: TLSServerContext, client: TLSClientContext, serverName: String?, smallBuffers: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TLSConnection {
        let connection = try TLSConnection(
            server: server, client: client, serverName: serverName, smallBuffers: smallBuffers)
        let outcome = try connection.handshake()
        try #require(
            outcome.succeeded,
            "client: \(String(describing: outcome.client)), server: \(String(describing: outcome.server))",
            sourceLocation: sourceLocation)
        return connection
    }
}

/// Writes `bytes` through a session from another actor's point of view, in calls of at most `chunk` bytes.
final class Writer {
    let session: TLSSession
    let fd: Int32
    let bytes: [UInt8]
    let chunk: Int
    private(set) var offset = 0
    private(set) var partialWrites = 0
    private(set) var error: TLSError?

    init(_ session: TLSSession, fd: Int32, bytes: [UInt8], chunk: Int = 256 * 1024) {
        self.session = session
        self.fd = fd
        self.bytes = bytes
        self.chunk = chunk
    }

    var actor: (fd: Int32, step: () -> PumpStep) {
        (fd, { self.step() })
    }

    private func step() -> PumpStep {
        if offset == bytes.count { return .finished }
        let requested = min(chunk, bytes.count - offset)
        let result = bytes.withUnsafeBytes {
            session.write(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + requested]))
        }
        switch result {
        case .bytes(let count):
            if count < requested { partialWrites += 1 }
            offset += count
            return .progressed
        case .wantRead: return .waitRead
        case .wantWrite: return .waitWrite
        case .closed: return .stopAll
        case .failed(let error):
            self.error = error
            return .stopAll
        }
    }
}

/// Reads from a session until `expected` bytes arrived or the peer closed.
final class Reader {
    let session: TLSSession
    let fd: Int32
    let expected: Int
    private(set) var received: [UInt8] = []
    private(set) var closed = false
    private(set) var error: TLSError?
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(_ session: TLSSession, fd: Int32, expected: Int) {
        self.session = session
        self.fd = fd
        self.expected = expected
    }

    var actor: (fd: Int32, step: () -> PumpStep) {
        (fd, { self.step() })
    }

    private func step() -> PumpStep {
        if received.count >= expected || closed { return .finished }
        let result = buffer.withUnsafeMutableBytes { session.read(into: $0) }
        switch result {
        case .bytes(let count):
            received += buffer[0..<count]
            return .progressed
        case .wantRead: return .waitRead
        case .wantWrite: return .waitWrite
        case .closed:
            closed = true
            return .finished
        case .failed(let error):
            self.error = error
            return .stopAll
        }
    }
}

extension TLSConnection {
    /// Sends `bytes` one way and returns what the other end read.
    func transfer(_ bytes: [UInt8], fromClient: Bool) throws -> [UInt8] {
        let (sender, senderFD, receiver, receiverFD) =
            fromClient
            ? (client, sockets.client, server, sockets.server) : (server, sockets.server, client, sockets.client)
        let writer = Writer(sender, fd: senderFD, bytes: bytes)
        let reader = Reader(receiver, fd: receiverFD, expected: bytes.count)
        try pump([writer.actor, reader.actor])
        return reader.received
    }
}

/// `count` bytes of a fixed, non-repeating-looking pattern.
func patternBytes(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}

/// The client context trusting the test CA, optionally with the raw `SSL_CTX` adjusted.
func testClientContext(
    ca: String = "ca.pem", verifyPeer: Bool = true, adjust: (OpaquePointer) -> Void = { _ in }
) throws -> TLSClientContext {
    try TLSClientContext(caFile: try TestCertificates.path(ca), verifyPeer: verifyPeer, adjust: adjust)
}
