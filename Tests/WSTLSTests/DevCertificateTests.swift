import Foundation
import Testing
import WSTLS

@Suite("Development certificate")
struct DevCertificateTests {
    /// Runs `body` with a not yet existing directory two levels below a fresh temporary one, removed afterwards.
    private func withMissingDirectory(_ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("wstls-dev-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try body(root.appendingPathComponent("nested/certs").path)
    }

    @Test func createsFilesAndServesVerifiedTLS() throws {
        try withMissingDirectory { directory in
            let config = try DevCertificate.ensure(directory: directory)
            #expect(config.certificateChainPath == directory + "/dev-cert.pem")
            #expect(config.privateKeyPath == directory + "/dev-key.pem")
            let attributes = try FileManager.default.attributesOfItem(atPath: config.privateKeyPath)
            #expect(attributes[.posixPermissions] as? Int == 0o600)

            let server = try TLSServerContext(certificates: [config])
            #expect(server.serverNames == [["localhost"]])
            let client = try TLSClientContext(caFile: config.certificateChainPath)
            for name in ["localhost", "127.0.0.1", "::1"] {
                let connection = try TLSConnection.established(server: server, client: client, serverName: name)
                #expect(connection.client.peerVerified)
                #expect(connection.client.peerCertificateSubject == "/CN=\(DevCertificate.commonName)")
                #expect(connection.client.protocolVersion == "TLSv1.3")
            }
        }
    }

    @Test func keepsAnExistingCertificate() throws {
        try withMissingDirectory { directory in
            let first = try DevCertificate.ensure(directory: directory)
            let before = try Data(contentsOf: URL(fileURLWithPath: first.certificateChainPath))
            let second = try DevCertificate.ensure(directory: directory)
            #expect(second == first)
            #expect(try Data(contentsOf: URL(fileURLWithPath: second.certificateChainPath)) == before)
        }
    }

    @Test func replacesAnUnreadableCertificate() throws {
        try withMissingDirectory { directory in
            let config = try DevCertificate.ensure(directory: directory)
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: config.certificateChainPath))
            _ = try DevCertificate.ensure(directory: directory)
            #expect(try TLSServerContext(certificates: [config]).serverNames == [["localhost"]])
        }
    }

    @Test func directoryBlockedByAFileIsNamed() throws {
        try withMissingDirectory { directory in
            try FileManager.default.createDirectory(
                atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: directory))
            let error = try #require(throws: TLSError.self) { try DevCertificate.ensure(directory: directory + "/sub") }
            #expect(error.operation == "creating directory")
            #expect(error.path == directory + "/sub", "\(error)")
        }
    }
}
