import Foundation
import Testing
import WSGateway
import WSIO

/// The `admin` and `log_level` keys, the `--admin` and `--log-level` flags, and the embedded default.
@Suite struct AdminConfigTests {
    private static let base = #""listeners": [{"name": "main", "address": "127.0.0.1:8080"}], "routes": [{"name": "r", "upstream": "ws://127.0.0.1:9000/"}]"#

    private static func parse(_ extra: String) throws(ConfigError) -> GatewayConfig {
        try ConfigLoader.parse(bytes: Array("{\(base)\(extra)}".utf8), baseDirectory: "/")
    }

    @Test func adminAndLogLevelKeysLoad() throws {
        let token = try TemporaryTokenFile()
        let config = try Self.parse(#", "admin": {"address": "127.0.0.1:9901", "token_file": "\#(token.path)"}, "log_level": "warn""#)
        #expect(config.admin == AdminConfig(address: SocketAddressSpec(host: "127.0.0.1", port: 9901), tokenFile: token.path))
        #expect(config.logLevel == .warn)
        let plain = try Self.parse("")
        #expect(plain.admin == nil)
        #expect(plain.logLevel == nil)
    }

    @Test func badAdminValuesAreLocated() throws {
        let cases: [(String, String)] = [
            (#", "admin": {}"#, "admin.address"),
            (#", "admin": {"address": "127.0.0.1:8080"}"#, "admin.address"),
            (#", "admin": {"address": "127.0.0.1:9901", "port": 1}"#, "admin.port"),
            (#", "admin": {"address": "127.0.0.1:9901", "token_file": "/nonexistent/token"}"#, "admin.token_file"),
            (#", "log_level": "verbose""#, "log_level"),
        ]
        for (extra, keyPath) in cases {
            #expect(performing: { try Self.parse(extra) }, throws: { ($0 as? ConfigError)?.keyPath == keyPath })
        }
    }

    @Test func aShortTokenIsRefused() throws {
        let token = try TemporaryTokenFile(token: "short")
        #expect(performing: { try Self.parse(#", "admin": {"address": "127.0.0.1:9901", "token_file": "\#(token.path)"}"#) },
                throws: { ($0 as? ConfigError)?.message.contains("16") == true })
    }

    @Test func flagsSetTheAdminAddressAndLogLevel() throws {
        let run = try CommandLineParser.parse(["run", "--config", "gw.json", "--admin", "127.0.0.1:9911", "--log-level=debug"])
        #expect(run == .run(configPath: "gw.json", workers: nil,
                            operations: OperationsOptions(admin: SocketAddressSpec(host: "127.0.0.1", port: 9911), logLevel: .debug)))
        let proxy = try CommandLineParser.parse(["proxy", "--from", "127.0.0.1:8080", "--to", "ws://127.0.0.1:9000/",
                                                 "--admin", "[::1]:9901", "--log-level", "error"])
        guard case .proxy(let options) = proxy else { Issue.record("not proxy: \(proxy)"); return }
        let config = try options.makeConfig()
        #expect(config.admin == AdminConfig(address: SocketAddressSpec(host: "::1", port: 9901)))
        #expect(config.logLevel == .error)
        #expect(throws: CLIError.self) { try CommandLineParser.parse(["run", "--config", "x", "--log-level", "loud"]) }
        #expect(throws: CLIError.self) { try CommandLineParser.parse(["run", "--config", "x", "--admin", "nowhere"]) }
    }

    @Test func theEmbeddedDefaultServesTheAdminListener() {
        let config = GatewayConfig.embeddedDefault(
            devCertificate: TLSCertificateSpec(cert: "c", key: "k", serverNames: []),
            echoAddress: SocketAddressSpec(host: "127.0.0.1", port: 8081))
        #expect(config.admin == AdminConfig(address: SocketAddressSpec(host: "127.0.0.1", port: 9901)))
    }
}
