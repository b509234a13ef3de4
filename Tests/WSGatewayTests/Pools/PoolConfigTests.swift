import Foundation
import Testing
import WSGateway

@Suite struct PoolConfigTests {
    private static func route(_ keys: String) -> String {
        configDocument(routes: #"[{"name": "r", \#(keys)}]"#)
    }

    @Test func oneUpstreamIsAPoolOfOne() throws {
        let config = try parseConfig(configDocument())
        #expect(config.routes[0].pool == .single(UpstreamURL(secure: false, host: "127.0.0.1", port: 9000, path: "/")))
        #expect(config.routes[0].pool.retries == 2)
        #expect(config.routes[0].pool.drainGrace == 30_000)
    }

    @Test func decodesEveryPoolKey() throws {
        let directory = try TemporaryDirectory()
        try directory.createFile("ca.pem")
        let text = Self.route(#"""
            "upstreams": ["ws://10.0.0.1:9000/ws", {"url": "wss://b.example:9443/ws", "weight": 3}],
            "balance": "hash-header:X-Tenant",
            "health_check": {"kind": "ws", "path": "/health?deep=1", "interval": 0.5, "timeout": 0.25, "rise": 1, "fall": 4, "ping": true},
            "passive": {"eject_after": 3, "backoff": 2, "max_backoff": 20},
            "retries": 5, "upstream_ca_file": "ca.pem", "drain_grace": 0
            """#)
        let pool = try parseConfig(text, baseDirectory: directory.path).routes[0].pool
        #expect(pool.members.map(\.name) == ["10.0.0.1:9000", "b.example:9443"])
        #expect(pool.members.map(\.weight) == [1, 3])
        #expect(pool.balance == .hash(.header("x-tenant")))
        var check = HealthCheckConfig(kind: .ws)
        check.path = "/health?deep=1"
        check.interval = 500
        check.timeout = 250
        check.rise = 1
        check.fall = 4
        check.ping = true
        #expect(pool.healthCheck == check)
        #expect(pool.passive == PassiveHealthConfig(ejectAfter: 3, backoff: 2_000, maxBackoff: 20_000))
        #expect(pool.retries == 5)
        #expect(pool.caFile == "\(directory.path)/ca.pem")
        #expect(pool.drainGrace == 0)
    }

    @Test(arguments: ["round-robin", "least-conn", "hash-ip", "hash-header:X-A", "hash-query:room"])
    func balancePoliciesRoundTrip(_ text: String) throws {
        let policy = try BalancePolicy(parsing: text)
        #expect(try BalancePolicy(parsing: policy.description) == policy)
    }

    static let rejections: [(keys: String, keyPath: String, fragment: String)] = [
        (#""upstream": "ws://a", "upstreams": ["ws://b"]"#, "routes[0].upstreams", "either"),
        (#""upstreams": []"#, "routes[0].upstreams", "must not be empty"),
        (#""upstreams": ["ws://a:1", "ws://a:1/"]"#, "routes[0].upstreams[1]", "listed twice"),
        (#""upstreams": ["ws://a:1/x", "ws://b:1/y"]"#, "routes[0].upstreams[1]", "same path"),
        (#""upstreams": [{"url": "ws://a", "weight": 0}]"#, "routes[0].upstreams[0].weight", "between 1 and 1000"),
        (#""upstreams": [{"url": "ws://a", "wait": 1}]"#, "routes[0].upstreams[0].wait", "unknown key"),
        (#""upstreams": ["http://a"]"#, "routes[0].upstreams[0]", "ws:// or wss://"),
        (#""upstream": "ws://a", "balance": "random""#, "routes[0].balance", "least-conn"),
        (#""upstream": "ws://a", "balance": "hash-header:""#, "routes[0].balance", "header name"),
        (#""upstream": "ws://a", "balance": "hash-identity""#, "routes[0].balance", "needs auth"),
        (#""upstream": "ws://a", "health_check": {"kind": "icmp"}"#, "routes[0].health_check.kind", "tcp"),
        (#""upstream": "ws://a", "health_check": {}"#, "routes[0].health_check.kind", "missing required key"),
        (#""upstream": "ws://a", "health_check": {"kind": "tcp", "path": "/x"}"#, "routes[0].health_check.path", "no request"),
        (#""upstream": "ws://a", "health_check": {"kind": "http", "path": "x"}"#, "routes[0].health_check.path", "starting with"),
        (#""upstream": "ws://a", "health_check": {"kind": "http", "ping": true}"#, "routes[0].health_check.ping", "only ws"),
        (#""upstream": "ws://a", "health_check": {"kind": "tcp", "rise": 0}"#, "routes[0].health_check.rise", "between 1 and 100"),
        (#""upstream": "ws://a", "health_check": {"kind": "tcp", "interval": 0}"#, "routes[0].health_check.interval", "at least 0.001"),
        (#""upstream": "ws://a", "passive": {"backoff": 10, "max_backoff": 5}"#, "routes[0].passive.max_backoff", "less than backoff"),
        (#""upstream": "ws://a", "passive": {"eject_after": -1}"#, "routes[0].passive.eject_after", "between 0 and 1000"),
        (#""upstream": "ws://a", "retries": 17"#, "routes[0].retries", "between 0 and 16"),
        (#""upstream": "ws://a", "upstream_ca_file": "ca.pem""#, "routes[0].upstream_ca_file", "only wss://"),
        (#""upstream": "wss://a", "upstream_ca_file": "/nonexistent/ca.pem""#, "routes[0].upstream_ca_file", "No such file"),
        (#""upstream": "ws://a", "drain_grace": -1"#, "routes[0].drain_grace", "must not be negative"),
    ]

    @Test(arguments: rejections.indices)
    func rejectsBadPoolsAtTheirKeyPaths(index: Int) {
        let (keys, keyPath, fragment) = Self.rejections[index]
        let error = configRejection(Self.route(keys))
        #expect(error?.keyPath == keyPath, "\(keys)")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "accepted")")
    }

    @Test func proxyFlagsMakeAPool() throws {
        let command = try CommandLineParser.parse([
            "proxy", "--from", "127.0.0.1:8080", "--to", "ws://127.0.0.1:9001/", "--to=ws://127.0.0.1:9002/",
            "--balance", "least-conn", "--health-check", "http:/healthz",
        ])
        guard case .proxy(let options) = command else {
            Issue.record("not a proxy command: \(command)")
            return
        }
        let pool = try options.makeConfig().routes[0].pool
        #expect(pool.members.map(\.name) == ["127.0.0.1:9001", "127.0.0.1:9002"])
        #expect(pool.balance == .leastConnections)
        #expect(pool.healthCheck?.kind == .http)
        #expect(pool.healthCheck?.path == "/healthz")
    }

    @Test(arguments: [
        (["--to", "ws://a/x", "--to", "ws://b/y"], "same path"),
        (["--to", "ws://a", "--balance", "fastest"], "--balance"),
        (["--to", "ws://a", "--health-check", "tcp:/x"], "--health-check"),
        (["--to", "ws://a", "--health-check", "smtp"], "--health-check"),
        (["--to", "ws://a", "--upstream-ca", "ca.pem"], "only wss://"),
        (["--to", "ws://a", "--balance", "hash-identity"], "needs --token-file"),
    ])
    func proxyFlagProblemsAreNamed(arguments: [String], fragment: String) {
        do {
            let command = try CommandLineParser.parse(["proxy", "--from", "127.0.0.1:8080"] + arguments)
            guard case .proxy(let options) = command else { return }
            _ = try options.makeConfig()
            Issue.record("accepted \(arguments)")
        } catch {
            #expect("\(error)".contains(fragment), "\(error)")
        }
    }
}

@Suite struct PoolExampleTests {
    @Test func theExampleConfigurationHasAPool() throws {
        let layout = try ConfigFileTests.repositoryLikeLayout()
        let text = try String(contentsOfFile: "\(ConfigFileTests.confDirectory)/example.json", encoding: .utf8)
        let config = try ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: "\(layout.path)/conf")
        let pool = try #require(config.routes.first { $0.name == "tenants" }).pool
        #expect(pool.members.map(\.weight) == [2, 1])
        #expect(pool.balance == .hash(.header("x-tenant")))
        #expect(pool.healthCheck?.ping == true)
    }
}
