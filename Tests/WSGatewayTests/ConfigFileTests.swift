import Foundation
import Testing
import WSGateway

@Suite struct ConfigFileTests {
    /// The repository's conf/ directory, found from this file's location.
    static let confDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("conf").path

    /// Lays out `<tmp>/conf` and `<tmp>/certs/generated/{server-chain.pem,server.key}` like the repository.
    static func repositoryLikeLayout() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.createDirectory("conf")
        try directory.createFile("certs/generated/server-chain.pem")
        try directory.createFile("certs/generated/server.key")
        return directory
    }

    @Test func loadsMinimalExample() throws {
        let config = try ConfigLoader.load(path: "\(Self.confDirectory)/minimal.json")
        #expect(config.listeners.map(\.name) == ["main"])
        #expect(config.routes.map(\.name) == ["echo"])
        #expect(config.builtinEcho == SocketAddressSpec(host: "127.0.0.1", port: 8081))
    }

    @Test(arguments: ["example.json", "tls.json"])
    func loadsExampleWithCertificates(fileName: String) throws {
        let layout = try Self.repositoryLikeLayout()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.confDirectory)/\(fileName)")))
        let config = try ConfigLoader.parse(bytes: bytes, baseDirectory: "\(layout.path)/conf")
        let certificates = config.listeners.compactMap(\.tls).flatMap { $0 }
        #expect(!certificates.isEmpty)
        for certificate in certificates {
            #expect(certificate.cert == "\(layout.path)/conf/../certs/generated/server-chain.pem")
            #expect(certificate.key == "\(layout.path)/conf/../certs/generated/server.key")
        }
    }

    @Test func exampleCoversEveryKey() throws {
        let layout = try Self.repositoryLikeLayout()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.confDirectory)/example.json")))
        let config = try ConfigLoader.parse(bytes: bytes, baseDirectory: "\(layout.path)/conf")
        #expect(config.listeners[1].tls?.first?.serverNames == ["localhost", "*.example.com"])
        #expect(config.listeners[1].tlsSessionTickets == 2)
        #expect(config.listeners[0].tlsSessionTickets == 1)
        var expected = RoutePolicy(
            connectTimeout: 2_500, handshakeTimeout: 5_000, idleTimeout: 600_000, pingInterval: 20_000,
            pongTimeout: 10_000, closeTimeout: 2_000, bufferSize: 16_384, remask: false)
        expected.limits.maxUpstreamMessageSize = 4_194_304
        expected.limits.maxConnections = 5_000
        expected.limits.maxConnectionsPerIdentity = 5
        expected.limits.clientRate = RateLimit(messagesPerSecond: 50, bytesPerSecond: 262_144, burstMessages: 100)
        expected.limits.allowedOrigins = try OriginPolicy(allowing: ["https://chat.example.com", "https://*.example.com"])
        #expect(config.routes[0].policy == expected)
        #expect(config.limits.maxConnections == 9_000)
        #expect(config.limits.maxConnectionsPerIP == 100)
        #expect(config.limits.ipv6Prefix == 64)
        #expect(config.limits.newConnectionsPerIPPerSecond == 20)
        #expect(config.routes[1].host == .wildcard(suffix: "example.com"))
        #expect(config.routes[2].listeners == ["plain", "tls"])
    }

    @Test func resolvesRelativeCertificatePathsAgainstTheConfigDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.createFile("site/keys/chain.pem")
        try directory.createFile("site/keys/key.pem")
        let absoluteKey = try directory.createFile("elsewhere/other.key")
        let document = configDocument(listeners: #"""
            [{"name": "tls", "address": "127.0.0.1:8443", "tls": {"certificates": [
              {"cert": "keys/chain.pem", "key": "keys/key.pem"},
              {"cert": "keys/chain.pem", "key": "\#(absoluteKey)", "server_names": ["A.example.com", "*.b.example"]}]}}]
            """#)
        let configPath = try directory.createFile("site/gateway.json", contents: document)
        let certificates = try ConfigLoader.load(path: configPath).listeners[0].tls
        #expect(certificates == [
            TLSCertificateSpec(cert: "\(directory.path)/site/keys/chain.pem", key: "\(directory.path)/site/keys/key.pem",
                               serverNames: []),
            TLSCertificateSpec(cert: "\(directory.path)/site/keys/chain.pem", key: absoluteKey,
                               serverNames: ["a.example.com", "*.b.example"]),
        ])
    }

    @Test func rejectsBadTLSListenerSettings() throws {
        let directory = try TemporaryDirectory()
        let cert = try directory.createFile("c.pem")
        let key = try directory.createFile("k.pem")
        let missingKey = configDocument(listeners: #"""
            [{"name": "t", "address": "127.0.0.1:1", "tls": {"certificates": [{"cert": "c.pem", "key": "missing.pem"}]}}]
            """#)
        let error = configRejection(missingKey, baseDirectory: directory.path)
        #expect(error?.keyPath == "listeners[0].tls.certificates[0].key")
        #expect(error?.message.contains("\(directory.path)/missing.pem") == true)

        let unnamed = configDocument(listeners: #"""
            [{"name": "t", "address": "127.0.0.1:1", "tls": {"certificates": [
              {"cert": "\#(cert)", "key": "\#(key)"}, {"cert": "\#(cert)", "key": "\#(key)"}]}}]
            """#)
        #expect(configRejection(unnamed)?.keyPath == "listeners[0].tls.certificates[1].server_names")

        let badName = configDocument(listeners: #"""
            [{"name": "t", "address": "127.0.0.1:1", "tls": {"certificates": [
              {"cert": "\#(cert)", "key": "\#(key)", "server_names": ["ok.example", "bad name"]}]}}]
            """#)
        #expect(configRejection(badName)?.keyPath == "listeners[0].tls.certificates[0].server_names[1]")

        let tooManyTickets = configDocument(listeners: #"""
            [{"name": "t", "address": "127.0.0.1:1", "tls": {"certificates": [{"cert": "\#(cert)", "key": "\#(key)"}],
              "session_tickets": 9}}]
            """#)
        let ticketsError = configRejection(tooManyTickets)
        #expect(ticketsError?.keyPath == "listeners[0].tls.session_tickets")
        #expect(ticketsError?.message == "must be between 0 and 8, got 9")
    }

    @Test func sessionTicketsReachTheListenersTLSContext() throws {
        var listener = ListenerConfig(
            name: "wss", address: SocketAddressSpec(host: "127.0.0.1", port: 0),
            tls: [TLSCertificateSpec(cert: try TestEnvironment.certificate("server-chain.pem"),
                                     key: try TestEnvironment.certificate("server.key"), serverNames: [])])
        listener.tlsSessionTickets = 3
        let config = GatewayConfig(workers: 1, listeners: [listener], routes: [], builtinEcho: nil)
        #expect(try RuntimeBuilder.build(config).listeners[0].tls?.sessionTickets == 3)
    }

    @Test func reportsUnreadableConfigFile() {
        #expect(throws: ConfigError(keyPath: "", message: "cannot open /nonexistent/wsgate.json: No such file or directory")) {
            try ConfigLoader.load(path: "/nonexistent/wsgate.json")
        }
    }

    @Test func prefixesWholeFileErrorsWithThePath() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.createFile("bad.json", contents: "{\"listeners\": }")
        #expect(throws: ConfigError(keyPath: "", message: "\(path): invalid JSON at line 1, column 15: unexpected character '}'")) {
            try ConfigLoader.load(path: path)
        }
    }

    @Test func embeddedDefaultServesEchoOnBothListeners() {
        let devCertificate = TLSCertificateSpec(cert: "certs/dev.pem", key: "certs/dev.key", serverNames: [])
        let echo = SocketAddressSpec(host: "127.0.0.1", port: 8081)
        let config = GatewayConfig.embeddedDefault(devCertificate: devCertificate, echoAddress: echo)
        #expect(config.listeners == [
            ListenerConfig(name: "ws", address: SocketAddressSpec(host: "127.0.0.1", port: 8080), tls: nil),
            ListenerConfig(name: "wss", address: SocketAddressSpec(host: "127.0.0.1", port: 8443), tls: [devCertificate]),
        ])
        #expect(config.routes.count == 1)
        #expect(config.routes[0].name == "echo")
        #expect(config.routes[0].pathPrefix == "/echo")
        #expect(config.routes[0].listeners == ["ws", "wss"])
        #expect(config.routes[0].upstream.description == "ws://127.0.0.1:8081/")
        #expect(config.builtinEcho == echo)
        #expect(config.workers == 0)
    }
}
