import Testing
import WSGateway

@Suite struct RouterTests {
    static func route(
        _ name: String, listeners: [String] = ["plain", "tls"], host: String? = nil, prefix: String = "/",
        strip: Bool = false, upstream: String = "ws://127.0.0.1:9000/"
    ) -> RouteConfig {
        RouteConfig(
            name: name, listeners: listeners, host: host.map { try! HostPattern(parsing: $0) }, pathPrefix: prefix,
            stripPrefix: strip, upstream: try! UpstreamURL(parsing: upstream), policy: .standard)
    }

    static func matchedName(_ router: Router, listener: String = "plain", host: String? = nil, path: String) -> String? {
        router.match(listener: listener, host: host, path: path).map { router.routes[$0.routeIndex].name }
    }

    @Test(arguments: [
        ("chat.example.com", true), ("CHAT.Example.Com", true), ("chat.example.com:8443", true),
        ("chat.example.com.", true), ("other.example.com", false), ("example.com", false), (nil, false),
    ] as [(String?, Bool)])
    func matchesExactHost(host: String?, matches: Bool) {
        let router = Router(routes: [Self.route("chat", host: "chat.example.com")])
        #expect((Self.matchedName(router, host: host, path: "/") != nil) == matches)
    }

    @Test(arguments: [
        ("a.example.com", true), ("a.b.example.com", true), ("A.EXAMPLE.COM:80", true), ("example.com", false),
        (".example.com", false), ("aexample.com", false), ("a.example.com.evil", false), ("example.com.a", false),
    ] as [(String, Bool)])
    func matchesWildcardHost(host: String, matches: Bool) {
        let router = Router(routes: [Self.route("wild", host: "*.example.com")])
        #expect((Self.matchedName(router, host: host, path: "/") != nil) == matches)
    }

    @Test func matchesIPv6HostWithAndWithoutPort() {
        let router = Router(routes: [Self.route("v6", host: "[::1]")])
        #expect(Self.matchedName(router, host: "[::1]:8080", path: "/") == "v6")
        #expect(Self.matchedName(router, host: "[::1]", path: "/") == "v6")
        #expect(Self.matchedName(router, host: "::1", path: "/") == "v6")
        #expect(Self.matchedName(router, host: "[::2]", path: "/") == nil)
    }

    @Test func routeWithoutHostAcceptsAnyHostOrNone() {
        let router = Router(routes: [Self.route("any")])
        #expect(Self.matchedName(router, host: "whatever:1", path: "/x") == "any")
        #expect(Self.matchedName(router, host: nil, path: "/x") == "any")
    }

    @Test(arguments: [
        ("/echo", "/echo", true), ("/echo", "/echo/", true), ("/echo", "/echo/x/y", true), ("/echo", "/echoes", false),
        ("/echo", "/ech", false), ("/echo", "/", false), ("/echo", "/Echo", false), ("/echo", "/echo?x=1", true),
        ("/echo", "/echoes?x", false), ("/echo/", "/echo/", true), ("/echo/", "/echo/x", true),
        ("/echo/", "/echo", false), ("/ws-", "/ws-1", false), ("/", "/anything", true), ("/", "", false),
        ("/", "*", false),
    ] as [(String, String, Bool)])
    func matchesPathPrefixOnSegmentBoundaries(prefix: String, path: String, matches: Bool) {
        let router = Router(routes: [Self.route("r", prefix: prefix)])
        #expect((Self.matchedName(router, path: path) != nil) == matches)
    }

    @Test func firstMatchingRouteWins() {
        let router = Router(routes: [
            Self.route("tls-only", listeners: ["tls"], prefix: "/a"),
            Self.route("chat", host: "chat.example.com", prefix: "/a"),
            Self.route("a", prefix: "/a"),
            Self.route("a-again", prefix: "/a"),
            Self.route("fallback"),
        ])
        #expect(Self.matchedName(router, listener: "tls", path: "/a") == "tls-only")
        #expect(Self.matchedName(router, host: "chat.example.com", path: "/a/1") == "chat")
        #expect(Self.matchedName(router, host: "other", path: "/a/1") == "a")
        #expect(Self.matchedName(router, path: "/b") == "fallback")
        #expect(router.match(listener: "plain", host: nil, path: "/b")?.routeIndex == 4)
    }

    @Test func listenerFilterExcludesOtherListeners() {
        let router = Router(routes: [Self.route("only-tls", listeners: ["tls"])])
        #expect(Self.matchedName(router, listener: "plain", path: "/") == nil)
        #expect(Self.matchedName(router, listener: "tls", path: "/") == "only-tls")
    }

    @Test(arguments: [
        // prefix, strip, upstream, client target, upstream target
        ("/echo", true, "ws://u/", "/echo/x", "/x"),
        ("/echo", true, "ws://u/", "/echo", "/"),
        ("/echo", true, "ws://u/", "/echo/", "/"),
        ("/echo", true, "ws://u/base", "/echo/x", "/base/x"),
        ("/echo", true, "ws://u/base/", "/echo/x", "/base/x"),
        ("/echo", true, "ws://u/base", "/echo", "/base/"),
        ("/echo/", true, "ws://u/base", "/echo/x", "/base/x"),
        ("/echo/", true, "ws://u/", "/echo/", "/"),
        ("/echo", false, "ws://u/", "/echo/x", "/echo/x"),
        ("/echo", false, "ws://u/base", "/echo/x", "/base/echo/x"),
        ("/echo", false, "ws://u/base/", "/echo", "/base/echo"),
        ("/", true, "ws://u/base", "/x", "/base/x"),
        ("/", false, "ws://u", "/", "/"),
        ("/echo", true, "ws://u/base", "/echo/x?a=1&b=/c?d", "/base/x?a=1&b=/c?d"),
        ("/echo", false, "ws://u/", "/echo?", "/echo?"),
        ("/echo", true, "ws://u/", "/echo?token=a%20b", "/?token=a%20b"),
    ] as [(String, Bool, String, String, String)])
    func buildsUpstreamTarget(prefix: String, strip: Bool, upstream: String, target: String, expected: String) {
        let router = Router(routes: [Self.route("r", prefix: prefix, strip: strip, upstream: upstream)])
        #expect(router.match(listener: "plain", host: nil, path: target)?.upstreamTarget == expected)
    }

    @Test func routesAConfigLoadedFromJSON() throws {
        let config = try parseConfig(configDocument(routes: #"""
            [{"name": "chat", "host": "*.example.com", "path_prefix": "/chat", "strip_prefix": true,
              "upstream": "ws://127.0.0.1:9000/base"},
             {"name": "rest", "upstream": "ws://127.0.0.1:9001"}]
            """#))
        let router = Router(routes: config.routes)
        #expect(router.match(listener: "plain", host: "a.example.com", path: "/chat/room?id=7")
            == RouteMatch(routeIndex: 0, upstreamTarget: "/base/room?id=7"))
        #expect(router.match(listener: "plain", host: "example.com", path: "/chat/room")
            == RouteMatch(routeIndex: 1, upstreamTarget: "/chat/room"))
        #expect(router.match(listener: "missing", host: nil, path: "/") == nil)
    }
}
