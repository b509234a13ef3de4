import Testing
import WSTLS

@Suite("Configuration errors")
struct ConfigurationErrorTests {
    @Test(arguments: ["alt.key", "rsa.key"])
    func keyNotMatchingCertificateNamesTheKeyFile(keyFile: String) throws {
        let certificate = try TestCertificates.path("server.pem")
        let key = try TestCertificates.path(keyFile)
        let config = TLSCertificateConfig(certificateChainPath: certificate, privateKeyPath: key)
        let error = try #require(throws: TLSError.self) { try TLSServerContext(certificates: [config]) }
        #expect(error.path == key)
        #expect(error.reason == "does not match the certificate in \(certificate)")
        #expect(error.description.contains(key))
    }

    @Test func missingCertificateFileIsNamed() throws {
        let missing = try TestCertificates.path("missing.pem")
        let config = TLSCertificateConfig(
            certificateChainPath: missing, privateKeyPath: try TestCertificates.path("server.key"))
        let error = try #require(throws: TLSError.self) {
            try TLSServerContext(certificates: [try TestCertificates.server(), config])
        }
        #expect(error.operation == "loading certificate chain")
        #expect(error.path == missing)
        #expect(!error.openSSLErrors.isEmpty)
    }

    @Test func keyFileThatIsNotAKeyIsNamed() throws {
        let notAKey = try TestCertificates.path("ca.pem")
        let config = TLSCertificateConfig(
            certificateChainPath: try TestCertificates.path("server.pem"), privateKeyPath: notAKey)
        let error = try #require(throws: TLSError.self) { try TLSServerContext(certificates: [config]) }
        #expect(error.operation == "loading private key")
        #expect(error.path == notAKey)
    }

    @Test func noCertificatesIsAnError() throws {
        let error = try #require(throws: TLSError.self) { try TLSServerContext(certificates: []) }
        #expect(error.reason == "no certificate configured")
    }
}
