import COpenSSL
import Synchronization
import Testing

@testable import WSTLS

/// TLS 1.3 session tickets the test client has received (OpenSSL reports each one to the new-session callback).
private let ticketsReceived = Atomic<Int>(0)

@Suite("TLS 1.3 session tickets", .serialized)
struct SessionTicketTests {
    /// A client that counts the tickets it is sent instead of keeping them.
    private func countingClient() throws -> TLSClientContext {
        try testClientContext { ctx in
            SSL_CTX_sess_set_new_cb(ctx) { _, _ in
                ticketsReceived.add(1, ordering: .relaxed)
                return 0
            }
        }
    }

    /// Tickets that arrive after one full handshake (the client reads them with the server's first data).
    private func ticketsAfterOneHandshake(_ server: TLSServerContext) throws -> Int {
        ticketsReceived.store(0, ordering: .relaxed)
        let connection = try TLSConnection.established(server: server, client: try countingClient(), serverName: "localhost")
        #expect(connection.client.protocolVersion == "TLSv1.3")
        #expect(try connection.transfer(Array("hello".utf8), fromClient: false) == Array("hello".utf8))
        return ticketsReceived.load(ordering: .relaxed)
    }

    @Test func oneTicketByDefault() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        #expect(try ticketsAfterOneHandshake(server) == 1)
    }

    @Test(arguments: [0, 2, TLSServerContext.maxSessionTickets])
    func configuredCountIsSent(count: Int) throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()], sessionTickets: count)
        #expect(try ticketsAfterOneHandshake(server) == count)
    }

    @Test func withoutTicketsTheNextConnectionIsAFullHandshake() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()], sessionTickets: 0)
        let client = try testClientContext()
        let first = try TLSConnection.established(server: server, client: client, serverName: "localhost")
        _ = try first.transfer(Array("x".utf8), fromClient: false)
        first.client.shutdown()
        let second = try TLSConnection.established(server: server, client: client, serverName: "localhost")
        #expect(!second.client.isSessionReused)
    }

    @Test(arguments: [-1, TLSServerContext.maxSessionTickets + 1])
    func countOutsideTheRangeIsRefused(count: Int) throws {
        let error = try #require(throws: TLSError.self) {
            try TLSServerContext(certificates: [try TestCertificates.server()], sessionTickets: count)
        }
        #expect(error.description.contains("session tickets"))
    }
}
