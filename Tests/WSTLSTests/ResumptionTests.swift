import COpenSSL
import Testing

@testable import WSTLS

@Suite("Session resumption")
struct ResumptionTests {
    enum Mode: String, CaseIterable {
        case tls13
        case tls12Ticket
        case tls12ServerCache
    }

    private func client(_ mode: Mode) throws -> TLSClientContext {
        try testClientContext { ctx in
            switch mode {
            case .tls13: break
            case .tls12Ticket: _ = wsg_SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)
            case .tls12ServerCache:
                _ = wsg_SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)
                SSL_CTX_set_options(ctx, wsg_SSL_OP_NO_TICKET)
            }
        }
    }

    @Test(arguments: Mode.allCases, ["localhost", "alt.test"])
    func secondConnectionResumes(mode: Mode, name: String) throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server(), try TestCertificates.alt()])
        let client = try client(mode)

        let first = try TLSConnection.established(server: server, client: client, serverName: name)
        #expect(!first.client.isSessionReused)
        // TLS 1.3 tickets follow the handshake; the client processes them when it reads.
        #expect(try first.transfer(Array("hello".utf8), fromClient: false) == Array("hello".utf8))
        first.client.shutdown()

        let second = try TLSConnection.established(server: server, client: client, serverName: name)
        #expect(second.client.isSessionReused)
        #expect(second.server.isSessionReused)
        #expect(second.client.protocolVersion == (mode == .tls13 ? "TLSv1.3" : "TLSv1.2"))
        #expect(second.client.peerCertificateDNSNames.contains(name))
        #expect(try second.transfer(Array("again".utf8), fromClient: true) == Array("again".utf8))
    }

    @Test func sessionsAreKeptPerServerName() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server(), try TestCertificates.alt()])
        let client = try testClientContext()
        let first = try TLSConnection.established(server: server, client: client, serverName: "localhost")
        _ = try first.transfer(Array("x".utf8), fromClient: false)

        let other = try TLSConnection.established(server: server, client: client, serverName: "alt.test")
        #expect(!other.client.isSessionReused)
    }
}
