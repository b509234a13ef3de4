import Testing
import WSGateway

@Suite struct LimitCLITests {
    static let base = ["proxy", "--from", "127.0.0.1:8080", "--to", "ws://127.0.0.1:9000/"]

    @Test func proxyTakesTheLimitFlags() throws {
        let command = try CommandLineParser.parse(Self.base + [
            "--max-message-size", "4096", "--handshake-timeout=2.5", "--max-connections", "100",
            "--max-connections-per-ip=5",
        ])
        guard case .proxy(let options) = command else {
            Issue.record("parsed as \(command)")
            return
        }
        #expect(options.maxMessageSize == 4_096)
        #expect(options.handshakeTimeout == 2_500)
        #expect(options.maxConnections == 100)
        #expect(options.maxConnectionsPerIP == 5)
        let config = try options.makeConfig()
        let policy = config.routes[0].policy
        #expect(policy.handshakeTimeout == 2_500)
        #expect(policy.limits.maxMessageSize == 4_096)
        #expect(policy.limits.maxUpstreamMessageSize == 4_096)
        #expect(config.limits.maxConnections == 100)
        #expect(config.limits.maxConnectionsPerIP == 5)
    }

    @Test func withoutTheFlagsTheDefaultsStand() throws {
        guard case .proxy(let options) = try CommandLineParser.parse(Self.base) else {
            Issue.record("not a proxy command")
            return
        }
        #expect(options.maxMessageSize == nil && options.handshakeTimeout == nil)
        let config = try options.makeConfig()
        #expect(config.routes[0].policy == .standard)
        #expect(config.limits == .unlimited)
    }

    @Test(arguments: [
        (["--max-message-size", "-1"], "--max-message-size"),
        (["--max-message-size", "1099511627777"], "--max-message-size"),
        (["--handshake-timeout", "0"], "--handshake-timeout"),
        (["--handshake-timeout", "ten"], "--handshake-timeout"),
        (["--max-connections", "many"], "--max-connections"),
        (["--max-connections-per-ip", "10000001"], "--max-connections-per-ip"),
        (["--max-connections-per-ip"], "--max-connections-per-ip"),
    ])
    func rejectsBadFlagValuesNamingTheFlag(extra: [String], flag: String) {
        guard let error = cliRejection(Self.base + extra) else { return }
        #expect(error.message.contains(flag), "\(error.message)")
    }

    @Test func optionsBuiltInCodeAreCheckedAtTheirFlags() {
        let from = SocketAddressSpec(host: "127.0.0.1", port: 8080)
        let to = UpstreamURL(secure: false, host: "127.0.0.1", port: 9000, path: "/")
        var options = ProxyOptions(from: from, to: to)
        options.maxConnections = -1
        #expect(CLIProxyOptionsTests.errorKeyPath(options) == "--max-connections")
        options.maxConnections = nil
        options.handshakeTimeout = 0
        #expect(CLIProxyOptionsTests.errorKeyPath(options) == "--handshake-timeout")
    }

    @Test func usageListsTheLimitFlags() throws {
        guard case .help(let text) = try CommandLineParser.parse(["proxy", "--help"]) else {
            Issue.record("no help")
            return
        }
        for flag in ["--max-message-size", "--handshake-timeout", "--max-connections", "--max-connections-per-ip"] {
            #expect(text.contains(flag))
        }
    }
}
