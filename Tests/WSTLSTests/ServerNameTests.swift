import Testing

@testable import WSTLS

@Suite("SNI")
struct ServerNameTests {
    private func twoCertificateServer() throws -> TLSServerContext {
        try TLSServerContext(certificates: [try TestCertificates.server(), try TestCertificates.alt()])
    }

    @Test(arguments: [
        ("alt.test", "alt.test"),
        ("x.wild.test", "alt.test"),
        ("ALT.Test", "alt.test"),
        ("unknown.test", "localhost"),
        ("a.b.wild.test", "localhost"),
        ("wild.test", "localhost"),
    ])
    func selectsCertificateByRequestedName(requested: String, expectedDNSName: String) throws {
        let client = try testClientContext(verifyPeer: false)
        let connection = try TLSConnection.established(
            server: try twoCertificateServer(), client: client, serverName: requested)
        #expect(connection.client.peerCertificateDNSNames.contains(expectedDNSName))
        #expect(connection.client.peerCertificateSubject == "/CN=\(expectedDNSName)")
        #expect(connection.server.serverName == requested)
    }

    @Test(arguments: ["alt.test", "x.wild.test"])
    func alternateCertificateVerifiesForItsNames(name: String) throws {
        let connection = try TLSConnection.established(
            server: try twoCertificateServer(), client: try testClientContext(), serverName: name)
        #expect(connection.client.peerVerified)
        #expect(try connection.transfer(Array("hi".utf8), fromClient: true) == Array("hi".utf8))
    }

    @Test func withoutSNITheDefaultCertificateIsUsed() throws {
        let client = try testClientContext(verifyPeer: false)
        let connection = try TLSConnection.established(
            server: try twoCertificateServer(), client: client, serverName: nil)
        #expect(connection.client.peerCertificateDNSNames == ["localhost"])
        #expect(connection.server.serverName == nil)
    }

    @Test func serverNamesComeFromCertificatesUnlessConfigured() throws {
        var explicit = try TestCertificates.alt()
        explicit.serverNames = ["Explicit.Example"]
        let server = try TLSServerContext(certificates: [
            try TestCertificates.server(), try TestCertificates.alt(), explicit,
        ])
        #expect(server.serverNames == [["localhost"], ["alt.test", "*.wild.test"], ["Explicit.Example"]])
        #expect(server.context(forServerName: "explicit.example") == server.contexts[2])
        #expect(server.context(forServerName: "localhost") == server.contexts[0])
    }

    @Test func matcherRules() {
        let matcher = ServerNameMatcher(namesPerCertificate: [
            ["example.com", "*.example.com"],
            ["API.example.com", "*.example.com", "*.deep.example.com"],
            ["*."],
        ])
        #expect(matcher.certificateIndex(for: "example.com") == 0)
        #expect(matcher.certificateIndex(for: "EXAMPLE.COM.") == 0)
        #expect(matcher.certificateIndex(for: "api.example.com") == 1, "exact beats wildcard")
        #expect(matcher.certificateIndex(for: "www.example.com") == 0, "first certificate wins a shared wildcard")
        #expect(matcher.certificateIndex(for: "a.deep.example.com") == 1)
        #expect(matcher.certificateIndex(for: "a.b.example.com") == nil, "a wildcard covers one label")
        #expect(matcher.certificateIndex(for: ".example.com") == nil)
        #expect(matcher.certificateIndex(for: "other.org") == nil)
        #expect(matcher.certificateIndex(for: "") == nil)
    }
}
