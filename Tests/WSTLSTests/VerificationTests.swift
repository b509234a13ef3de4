import Testing

@testable import WSTLS

@Suite("Peer verification")
struct VerificationTests {
    private func server() throws -> TLSServerContext {
        try TLSServerContext(certificates: [try TestCertificates.server()])
    }

    @Test func wrongCAFailsVerification() throws {
        let outcome = try TLSConnection(
            server: try server(), client: try testClientContext(ca: "other-ca.pem"), serverName: "localhost"
        ).handshake()
        let error = try #require(outcome.client)
        // server-chain.pem carries the test CA itself, which the client does not trust.
        #expect(
            error.reason?.hasSuffix("certificate verification: self-signed certificate in certificate chain") == true,
            "\(error)")
        #expect(error.openSSLErrors.contains { $0.contains("certificate verify failed") })
    }

    @Test func wrongCAFailsVerificationWithoutChain() throws {
        let leafOnly = TLSCertificateConfig(
            certificateChainPath: try TestCertificates.path("server.pem"),
            privateKeyPath: try TestCertificates.path("server.key"))
        let outcome = try TLSConnection(
            server: try TLSServerContext(certificates: [leafOnly]), client: try testClientContext(ca: "other-ca.pem"),
            serverName: "localhost"
        ).handshake()
        let error = try #require(outcome.client)
        #expect(
            error.reason?.hasSuffix("certificate verification: unable to get local issuer certificate") == true,
            "\(error)")
    }

    @Test(arguments: ["wrong.example", "127.0.0.2", "::2"])
    func nameMismatchFailsVerification(name: String) throws {
        let outcome = try TLSConnection(server: try server(), client: try testClientContext(), serverName: name)
            .handshake()
        let error = try #require(outcome.client)
        #expect(error.reason?.contains("mismatch") == true, "\(error)")
    }

    @Test(arguments: ["localhost", "LOCALHOST", "127.0.0.1", "::1", "[::1]"])
    func namesAndAddressesInTheCertificateVerify(name: String) throws {
        let connection = try TLSConnection.established(
            server: try server(), client: try testClientContext(), serverName: name)
        #expect(connection.client.peerVerified)
    }

    @Test func ipAddressesAreNotSentAsSNI() throws {
        let connection = try TLSConnection.established(
            server: try server(), client: try testClientContext(), serverName: "127.0.0.1")
        #expect(connection.server.serverName == nil)
    }

    @Test func unverifiedModeConnectsButReportsTheFailure() throws {
        let client = try testClientContext(ca: "other-ca.pem", verifyPeer: false)
        let connection = try TLSConnection.established(server: try server(), client: client, serverName: "localhost")
        #expect(!connection.client.peerVerified)
        #expect(!client.verifyPeer)
    }

    @Test func missingCAFileIsNamed() throws {
        let path = try TestCertificates.path("no-such-ca.pem")
        let error = try #require(throws: TLSError.self) { try TLSClientContext(caFile: path) }
        #expect(error.path == path)
        #expect(error.operation == "loading CA certificates")
    }
}
