import Foundation
import WSTLS

/// Certificates made by `certs/generate.sh` into a temporary directory, once per test process.
enum TestCertificates {
    struct GenerationFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static let generated: Result<String, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wstls-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("certs/generate.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, directory.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GenerationFailed(description: "\(script.path) exited with \(process.terminationStatus)")
        }
        atexit {
            if case .success(let directory) = TestCertificates.generated {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        return directory.path
    }

    /// The path of a generated file, e.g. `server.pem`.
    static func path(_ name: String) throws -> String {
        try generated.get() + "/" + name
    }

    /// The P-256 certificate for localhost, 127.0.0.1 and ::1, loaded with its full chain.
    static func server() throws -> TLSCertificateConfig {
        TLSCertificateConfig(certificateChainPath: try path("server-chain.pem"), privateKeyPath: try path("server.key"))
    }

    /// The certificate for alt.test and *.wild.test.
    static func alt() throws -> TLSCertificateConfig {
        TLSCertificateConfig(certificateChainPath: try path("alt.pem"), privateKeyPath: try path("alt.key"))
    }

    /// The RSA-2048 certificate for localhost.
    static func rsa() throws -> TLSCertificateConfig {
        TLSCertificateConfig(certificateChainPath: try path("rsa.pem"), privateKeyPath: try path("rsa.key"))
    }
}
