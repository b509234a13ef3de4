import Testing
import WSGateway

@Suite struct ConfigMergeTests {
    @Test func unsetKeysTakeBuiltInDefaults() throws {
        let config = try parseConfig(configDocument())
        #expect(config.workers == 0)
        #expect(config.builtinEcho == nil)
        let route = config.routes[0]
        #expect(route.policy == RoutePolicy.standard)
        #expect(route.policy == RoutePolicy(
            connectTimeout: 5_000, handshakeTimeout: 10_000, idleTimeout: 0, pingInterval: 30_000, pongTimeout: 15_000,
            closeTimeout: 5_000, bufferSize: 65_536, remask: true))
        #expect(route.pathPrefix == "/")
        #expect(route.stripPrefix == false)
        #expect(route.host == nil)
        #expect(route.listeners == ["plain"])
    }

    @Test func routeKeysOverrideDefaultsWhichOverrideBuiltIns() throws {
        let document = configDocument(
            routes: #"""
                [{"name": "a", "upstream": "ws://a", "idle_timeout": 600, "ping_interval": 20, "remask": true},
                 {"name": "b", "upstream": "ws://b"}]
                """#,
            extra: #""defaults": {"idle_timeout": 60, "buffer_size": 8192, "remask": false, "close_timeout": 1.5}"#)
        let config = try parseConfig(document)
        let overridden = config.routes[0].policy
        #expect(overridden.idleTimeout == 600_000)
        #expect(overridden.pingInterval == 20_000)
        #expect(overridden.remask == true)
        #expect(overridden.bufferSize == 8192)
        #expect(overridden.closeTimeout == 1_500)
        #expect(overridden.connectTimeout == 5_000)
        let inherited = config.routes[1].policy
        #expect(inherited.idleTimeout == 60_000)
        #expect(inherited.pingInterval == 30_000)
        #expect(inherited.remask == false)
        #expect(inherited.bufferSize == 8192)
    }

    @Test func routeCanEnablePingsDisabledByDefaults() throws {
        let document = configDocument(
            route: #""ping_interval": 5, "pong_timeout": 2"#,
            extra: #""defaults": {"ping_interval": 0, "pong_timeout": 0}"#)
        let policy = try parseConfig(document).routes[0].policy
        #expect(policy.pingInterval == 5_000)
        #expect(policy.pongTimeout == 2_000)
    }

    @Test func fractionalSecondsRoundToMilliseconds() throws {
        let policy = try parseConfig(configDocument(route: #""connect_timeout": 0.0016, "idle_timeout": 2.25"#))
            .routes[0].policy
        #expect(policy.connectTimeout == 2)
        #expect(policy.idleTimeout == 2_250)
    }

    @Test func decodesEveryRouteField() throws {
        let document = configDocument(
            listeners: #"[{"name": "a", "address": "127.0.0.1:1"}, {"name": "b", "address": "[::1]:2"}]"#,
            routes: #"""
                [{"name": "chat", "listeners": ["b"], "host": "Chat.Example.COM", "path_prefix": "/chat",
                  "strip_prefix": true, "upstream": "WSS://Backend:9443/base"}]
                """#,
            extra: #""workers": 4, "builtin_echo": "localhost:8081""#)
        let config = try parseConfig(document)
        #expect(config.workers == 4)
        #expect(config.listeners.map(\.name) == ["a", "b"])
        #expect(config.listeners[1].address == SocketAddressSpec(host: "::1", port: 2))
        #expect(config.listeners[1].tls == nil)
        #expect(config.builtinEcho == SocketAddressSpec(host: "localhost", port: 8081))
        let route = config.routes[0]
        #expect(route.name == "chat")
        #expect(route.listeners == ["b"])
        #expect(route.host == .exact("chat.example.com"))
        #expect(route.pathPrefix == "/chat")
        #expect(route.stripPrefix)
        #expect(route.upstream == UpstreamURL(secure: true, host: "backend", port: 9443, path: "/base"))
    }

    @Test func routesWithoutListenersApplyToAll() throws {
        let document = configDocument(
            listeners: #"[{"name": "x", "address": "127.0.0.1:1"}, {"name": "y", "address": "127.0.0.1:2"}]"#)
        #expect(try parseConfig(document).routes[0].listeners == ["x", "y"])
    }
}
