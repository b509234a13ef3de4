import Foundation
import Glibc
import WSIO
import WSTLS

/// Paths and resources the integration tests share: the repository, the built binary, test certificates.
enum TestEnvironment {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The `wsgate` executable: `$WSGATE_BINARY`, else the one built beside this test bundle, else
    /// `.build/debug/wsgate`.
    static var binaryPath: String {
        get throws {
            if let explicit = ProcessInfo.processInfo.environment["WSGATE_BINARY"] { return explicit }
            let bundleDirectory = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(
                atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]).deletingLastPathComponent().path
            for candidate in ["\(bundleDirectory)/wsgate", "\(repositoryRoot)/.build/debug/wsgate"]
            where FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
            throw TestSocketError(description: "no wsgate binary beside \(bundleDirectory) or in .build/debug: run swift build")
        }
    }

    private static let certificates: Result<String, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wsgate-itest-\(getpid())-\(UUID().uuidString)").path
        let result = try runProcess("/bin/bash", ["\(repositoryRoot)/certs/generate.sh", directory])
        guard result.status == 0 else {
            throw TestSocketError(description: "certs/generate.sh failed (\(result.status)): \(result.errors)")
        }
        atexit { try? FileManager.default.removeItem(atPath: TestEnvironment.certificateDirectoryForCleanup) }
        return directory
    }

    private static var certificateDirectoryForCleanup: String { (try? certificates.get()) ?? "/nonexistent" }

    /// A file made by `certs/generate.sh` (run once per test process), e.g. `ca.pem`.
    static func certificate(_ name: String) throws -> String { try certificates.get() + "/" + name }

    /// `, "tls": {…}` for a listener object in a configuration file, serving the test server certificate.
    static func listenerTLSKey() throws -> String {
        let chain = try certificate("server-chain.pem")
        let key = try certificate("server.key")
        return #", "tls": {"certificates": [{"cert": "\#(chain)", "key": "\#(key)"}]}"#
    }

    /// A TLS client context trusting the test CA.
    static func clientTLS() throws -> TLSClientContext { try TLSClientContext(caFile: certificate("ca.pem")) }

    /// A port on 127.0.0.1 that was free a moment ago (for processes whose config needs a fixed port).
    static func freePort() throws -> UInt16 {
        let fd = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { close(fd) }
        return Socket.localAddress(fd).port
    }

    /// Raises this process's open-file limit to its hard limit (the many-connection tests need it).
    static func raiseFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// The current open-file limit.
    static var fileLimit: Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}

/// What a finished child process said.
struct ProcessResult {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs a program to completion, capturing its output.
func runProcess(_ path: String, _ arguments: [String]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                         errors: String(decoding: errorData, as: UTF8.self))
}
