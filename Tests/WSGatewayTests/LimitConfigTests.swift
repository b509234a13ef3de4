import Testing
import WSGateway

@Suite struct LimitConfigTests {
    @Test func everyLimitHasItsDefaultWhenNothingIsSet() throws {
        let config = try parseConfig(configDocument())
        #expect(config.limits == .unlimited)
        #expect(config.listeners[0].edge == .standard)
        let limits = config.routes[0].policy.limits
        #expect(limits == .standard)
        #expect(limits.maxMessageSize == 1_048_576)
        #expect(limits.maxFrameSize == nil)
        #expect(limits.rateLimitAction == .throttle)
        #expect(limits.allowedOrigins == nil)
        #expect(limits.clientRate.isUnlimited && limits.upstreamRate.isUnlimited)
    }

    @Test func decodesRouteLimitsOverDefaults() throws {
        let config = try parseConfig(configDocument(
            routes: #"""
                [{"name": "a", "upstream": "ws://127.0.0.1:9000", "max_message_size": 4096,
                  "max_upstream_frame_size": 1024, "max_connections": 50, "max_connections_per_identity": 3,
                  "client_rate": {"messages_per_second": 20, "burst_messages": 40},
                  "upstream_rate": {"bytes_per_second": 1000000, "burst_bytes": 65536, "messages_per_second": 500},
                  "rate_limit_action": "close",
                  "allowed_origins": ["https://app.example.com", "https://*.example.net"]},
                 {"name": "b", "upstream": "ws://127.0.0.1:9001"}]
                """#,
            extra: #""defaults": {"max_message_size": 100000, "max_frame_size": 16384, "max_upstream_message_size": 0}"#))
        let a = config.routes[0].policy.limits
        #expect(a.maxMessageSize == 4_096)
        #expect(a.maxFrameSize == 16_384)
        #expect(a.clientFrameLimit == 4_096)
        #expect(a.maxUpstreamMessageSize == 0)
        #expect(a.upstreamMessageLimit == .max)
        #expect(a.upstreamFrameLimit == 1_024)
        #expect(a.maxConnections == 50)
        #expect(a.maxConnectionsPerIdentity == 3)
        #expect(a.clientRate == RateLimit(messagesPerSecond: 20, burstMessages: 40))
        #expect(a.upstreamRate == RateLimit(messagesPerSecond: 500, bytesPerSecond: 1_000_000, burstBytes: 65_536))
        #expect(a.rateLimitAction == .close)
        #expect(a.allowedOrigins?.allows("https://x.example.net") == true)
        #expect(a.allowedOrigins?.allows("https://example.net") == false)

        let b = config.routes[1].policy.limits
        #expect(b.maxMessageSize == 100_000)
        #expect(b.clientFrameLimit == 16_384)
        #expect(b.maxConnections == 0)
        #expect(b.allowedOrigins == nil)
        #expect(b.rateLimitAction == .throttle)
    }

    @Test func frameSizeFollowsTheRoutesOwnMessageSize() throws {
        let config = try parseConfig(configDocument(
            route: #""max_message_size": 2048"#, extra: #""defaults": {"max_message_size": 100000}"#))
        #expect(config.routes[0].policy.limits.clientFrameLimit == 2_048)
    }

    @Test func decodesGlobalLimits() throws {
        let config = try parseConfig(configDocument(extra: #"""
            "limits": {"max_connections": 10000, "max_connections_per_ip": 100, "ipv4_prefix": 24,
                       "ipv6_prefix": 64, "new_connections_per_ip_per_second": 20, "new_connections_burst": 50}
            """#))
        var expected = GlobalLimits()
        expected.maxConnections = 10_000
        expected.maxConnectionsPerIP = 100
        expected.ipv4Prefix = 24
        expected.ipv6Prefix = 64
        expected.newConnectionsPerIPPerSecond = 20
        expected.newConnectionsBurst = 50
        #expect(config.limits == expected)
    }

    @Test func decodesListenerEdgeSettings() throws {
        let config = try parseConfig(configDocument(listeners: #"""
            [{"name": "lb", "address": "127.0.0.1:8080", "max_connections": 5000, "proxy_protocol": true,
              "trusted_proxies": ["10.0.0.0/8", "::1/128"], "real_ip_header": "X-Forwarded-For"},
             {"name": "direct", "address": "127.0.0.1:8081"}]
            """#))
        let edge = config.listeners[0].edge
        #expect(edge.maxConnections == 5_000)
        #expect(edge.proxyProtocol)
        #expect(edge.trustedProxies == (try TrustedProxies(cidrs: ["10.0.0.0/8", "::1/128"])))
        #expect(edge.realIPHeader == "X-Forwarded-For")
        #expect(config.listeners[1].edge == .standard)
    }

    @Test func connectionLimitsFollowTheConfiguration() throws {
        let config = try parseConfig(configDocument(
            listeners: #"[{"name": "plain", "address": "127.0.0.1:8080", "max_connections": 3}]"#,
            routes: #"""
                [{"name": "a", "upstream": "ws://127.0.0.1:9000", "path_prefix": "/a", "max_connections": 1},
                 {"name": "b", "upstream": "ws://127.0.0.1:9000", "max_connections_per_identity": 1}]
                """#,
            extra: #""limits": {"max_connections_per_ip": 2, "ipv4_prefix": 16}"#))
        let limits = ConnectionLimits(config: config)
        #expect(limits.ipv4Prefix == 16)
        let first = limits.admit(listener: 0, ip: limits.key(for: address("192.0.2.1"))).lease!
        let second = limits.admit(listener: 0, ip: limits.key(for: address("192.0.9.1"))).lease!
        #expect(limits.admit(listener: 0, ip: limits.key(for: address("192.0.200.1"))).rejection == .ip)
        let third = limits.admit(listener: 0, ip: limits.key(for: address("198.51.100.1"))).lease!
        #expect(limits.admit(listener: 0, ip: nil).rejection == .listener)
        #expect(limits.admit(route: 0, identity: nil, for: first) == nil)
        #expect(limits.admit(route: 0, identity: nil, for: second) == .route)
        #expect(limits.admit(route: 1, identity: "dave", for: second) == nil)
        #expect(limits.admit(route: 1, identity: "dave", for: third) == .identity)
        #expect(limits.admit(route: 1, identity: "erin", for: third) == nil)
    }

    static let rejections: [(document: String, keyPath: String, fragment: String)] = [
        (configDocument(extra: #""defaults": {"max_message_size": -1}"#), "defaults.max_message_size", "between 0 and"),
        (configDocument(route: #""max_message_size": 1.5"#), "routes[0].max_message_size", "whole number"),
        (configDocument(route: #""max_frame_size": "1k""#), "routes[0].max_frame_size", "expected an integer"),
        (configDocument(route: #""max_upstream_message_size": 1099511627777"#), "routes[0].max_upstream_message_size",
         "between 0 and 1099511627776"),
        (configDocument(route: #""max_upstream_frame_size": -5"#), "routes[0].max_upstream_frame_size", "between"),
        (configDocument(route: #""max_connections": -1"#), "routes[0].max_connections", "between 0 and 10000000"),
        (configDocument(route: #""max_connections_per_identity": 10000001"#), "routes[0].max_connections_per_identity",
         "between 0 and 10000000"),
        (configDocument(route: #""client_rate": 5"#), "routes[0].client_rate", "expected an object"),
        (configDocument(route: #""client_rate": {"messages_per_second": 0}"#), "routes[0].client_rate.messages_per_second",
         "between 1 and"),
        (configDocument(route: #""client_rate": {"per_minute": 5}"#), "routes[0].client_rate.per_minute", "unknown key"),
        (configDocument(route: #""client_rate": {"burst_messages": 5}"#), "routes[0].client_rate.burst_messages",
         "needs messages_per_second"),
        (configDocument(route: #""upstream_rate": {"burst_bytes": 5}"#), "routes[0].upstream_rate.burst_bytes",
         "needs bytes_per_second"),
        (configDocument(route: #""upstream_rate": {"bytes_per_second": 1e20}"#), "routes[0].upstream_rate.bytes_per_second",
         "whole number"),
        (configDocument(extra: #""defaults": {"rate_limit_action": "drop"}"#), "defaults.rate_limit_action",
         "\"throttle\" or \"close\""),
        (configDocument(route: #""allowed_origins": "https://a.com""#), "routes[0].allowed_origins", "expected an array"),
        (configDocument(route: #""allowed_origins": ["https://a.com", "a.com"]"#), "routes[0].allowed_origins[1]",
         "invalid origin \"a.com\""),
        (configDocument(route: #""allowed_origins": [7]"#), "routes[0].allowed_origins[0]", "expected a string"),
        (configDocument(extra: #""limits": []"#), "limits", "expected an object"),
        (configDocument(extra: #""limits": {"max_conns": 1}"#), "limits.max_conns", "unknown key"),
        (configDocument(extra: #""limits": {"max_connections": -1}"#), "limits.max_connections", "between 0 and"),
        (configDocument(extra: #""limits": {"max_connections_per_ip": "5"}"#), "limits.max_connections_per_ip",
         "expected an integer"),
        (configDocument(extra: #""limits": {"ipv4_prefix": 33}"#), "limits.ipv4_prefix", "between 1 and 32"),
        (configDocument(extra: #""limits": {"ipv6_prefix": 0}"#), "limits.ipv6_prefix", "between 1 and 128"),
        (configDocument(extra: #""limits": {"new_connections_per_ip_per_second": -2}"#),
         "limits.new_connections_per_ip_per_second", "between 0 and"),
        (configDocument(extra: #""limits": {"new_connections_burst": 10}"#), "limits.new_connections_burst",
         "needs new_connections_per_ip_per_second"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "max_connections": -1}]"#),
         "listeners[0].max_connections", "between 0 and"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "proxy_protocol": "yes"}]"#),
         "listeners[0].proxy_protocol", "expected a boolean"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "proxy_protocol": true}]"#),
         "listeners[0].trusted_proxies", "must list the proxies"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "real_ip_header": "X-Real-IP"}]"#),
         "listeners[0].trusted_proxies", "must list the proxies"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "trusted_proxies": "10.0.0.0/8"}]"#),
         "listeners[0].trusted_proxies", "expected an array"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "trusted_proxies": ["10.0.0.0/8", 10]}]"#),
         "listeners[0].trusted_proxies[1]", "expected a string"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "trusted_proxies": ["::1/128", "10.1.0.0/8"]}]"#),
         "listeners[0].trusted_proxies[1]", "bits set after the prefix"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "trusted_proxies": ["::1"], "real_ip_header": "X Real"}]"#),
         "listeners[0].real_ip_header", "HTTP header name"),
    ]

    @Test(arguments: 0..<rejections.count)
    func rejectsBadValuesAtTheirKeyPaths(index: Int) {
        let (document, keyPath, fragment) = Self.rejections[index]
        guard let error = configRejection(document) else { return }
        #expect(error.keyPath == keyPath, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
    }
}
