import Glibc
import Testing
import WSTLS

@Suite("Closing")
struct CloseTests {
    private func connection() throws -> TLSConnection {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        return try TLSConnection.established(server: server, client: try testClientContext(), serverName: "localhost")
    }

    @Test func closeNotifyReadsAsClosedOnBothSides() throws {
        let connection = try connection()
        connection.client.shutdown()
        let serverReader = Reader(connection.server, fd: connection.sockets.server, expected: .max)
        try pump([serverReader.actor])
        #expect(serverReader.closed && serverReader.received.isEmpty)

        connection.server.shutdown()
        let clientReader = Reader(connection.client, fd: connection.sockets.client, expected: .max)
        try pump([clientReader.actor])
        #expect(clientReader.closed)
    }

    @Test func abruptCloseAfterDataReadsDataThenClosed() throws {
        let connection = try connection()
        // Read the server's TLS 1.3 session tickets: closing with unread data would send a reset, not a FIN.
        _ = try connection.transfer(Array("welcome".utf8), fromClient: false)
        let writer = Writer(connection.client, fd: connection.sockets.client, bytes: Array("last words".utf8))
        try pump([writer.actor])
        connection.sockets.closeClient()

        let reader = Reader(connection.server, fd: connection.sockets.server, expected: .max)
        try pump([reader.actor])
        #expect(reader.received == Array("last words".utf8))
        #expect(reader.closed)
        #expect(reader.error == nil)
        connection.server.shutdown()
    }

    @Test func connectionResetIsAFailure() throws {
        let connection = try connection()
        var abort = linger(l_onoff: 1, l_linger: 0)
        setsockopt(connection.sockets.client, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
        connection.sockets.closeClient()

        let reader = Reader(connection.server, fd: connection.sockets.server, expected: .max)
        try pump([reader.actor])
        #expect(reader.error?.reason == "Connection reset by peer", "\(String(describing: reader.error))")
        #expect(!reader.closed)
    }

    @Test func handshakeWithPeerThatClosesFails() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let sockets = try LoopbackPair()
        let session = try TLSSession(server: server, fd: sockets.server)
        sockets.closeClient()
        var result = session.handshake()
        for _ in 0..<100 {
            guard case .wantRead = result else { break }
            result = session.handshake()
        }
        guard case .failed(let error) = result else {
            Issue.record("expected a failed handshake, got \(result)")
            return
        }
        #expect(error.reason == "connection closed by peer")
        session.shutdown()
    }
}
