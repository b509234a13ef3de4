import Testing
import WSGateway

@Suite struct ConfigValidationTests {
    static let cases: [(document: String, keyPath: String, fragment: String)] = [
        ("[]", "", "expected an object, found array"),
        ("{\"listeners\": [}", "", "invalid JSON at line 1, column 16"),
        ("{\n  \"workers\": 1,,\n}", "", "invalid JSON at line 2, column 16"),
        (configDocument(extra: #""extra": 1"#), "extra", "unknown key"),
        (configDocument(extra: #""workers": "2""#), "workers", "expected an integer, found string"),
        (configDocument(extra: #""workers": 257"#), "workers", "between 0 and 256"),
        (configDocument(extra: #""workers": -1"#), "workers", "between 0 and 256"),
        (configDocument(extra: #""workers": 1.5"#), "workers", "whole number"),
        (#"{"routes": [{"name": "r", "upstream": "ws://a"}]}"#, "listeners", "missing required key"),
        (configDocument(listeners: "[]"), "listeners", "must not be empty"),
        (configDocument(listeners: "{}"), "listeners", "expected an array, found object"),
        (configDocument(listeners: "[1]"), "listeners[0]", "expected an object, found number"),
        (configDocument(listeners: #"[{"address": "127.0.0.1:1"}]"#), "listeners[0].name", "missing required key"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1", "port": 1}]"#), "listeners[0].port",
         "unknown key"),
        (configDocument(listeners: #"[{"name": "a b", "address": "127.0.0.1:1"}]"#), "listeners[0].name",
         "letters, digits"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1"}, {"name": "a", "address": "127.0.0.1:2"}]"#),
         "listeners[1].name", "duplicate listener name \"a\""),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:1"}, {"name": "b", "address": "127.0.0.1:1"}]"#),
         "listeners[1].address", "address already used by listener \"a\""),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1"}]"#), "listeners[0].address", "missing ':port'"),
        (configDocument(listeners: #"[{"name": "a", "address": "example.com:80"}]"#), "listeners[0].address",
         "IPv4 literal"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:0"}]"#), "listeners[0].address", "1 to 65535"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:65536"}]"#), "listeners[0].address",
         "1 to 65535"),
        (configDocument(listeners: #"[{"name": "a", "address": "[::g]:80"}]"#), "listeners[0].address", "bad IPv6"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:80", "tls": {"certificates": []}}]"#),
         "listeners[0].tls.certificates", "must not be empty"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:80", "tls": {"certificates": [{"cert": "/nonexistent/c.pem", "key": "/nonexistent/k.pem"}]}}]"#),
         "listeners[0].tls.certificates[0].cert", "No such file"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:80", "tls": {"certificates": [{"key": "k"}]}}]"#),
         "listeners[0].tls.certificates[0].cert", "missing required key"),
        (configDocument(listeners: #"[{"name": "a", "address": "127.0.0.1:80", "tls": {"certificates": [{"cert": "/", "key": "/"}]}}]"#),
         "listeners[0].tls.certificates[0].cert", "not a regular file"),
        (#"{"listeners": [{"name": "a", "address": "127.0.0.1:1"}]}"#, "routes", "missing required key"),
        (configDocument(routes: "[]"), "routes", "must not be empty"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://a"}, {"name": "r", "upstream": "ws://b"}]"#),
         "routes[1].name", "duplicate route name \"r\""),
        (configDocument(routes: #"[{"upstream": "ws://a"}]"#), "routes[0].name", "missing required key"),
        (configDocument(routes: #"[{"name": "", "upstream": "ws://a"}]"#), "routes[0].name", "letters, digits"),
        (configDocument(routes: #"[{"name": "r"}]"#), "routes[0].upstream", "missing required key"),
        (configDocument(route: #""listeners": ["plain", "nope"]"#), "routes[0].listeners[1]", "unknown listener \"nope\""),
        (configDocument(route: #""listeners": []"#), "routes[0].listeners", "must not be empty"),
        (configDocument(route: #""listeners": ["plain", "plain"]"#), "routes[0].listeners[1]", "listed twice"),
        (configDocument(route: #""listeners": [3]"#), "routes[0].listeners[0]", "expected a string, found number"),
        (configDocument(route: #""path_prefix": "chat""#), "routes[0].path_prefix", "must start with \"/\""),
        (configDocument(route: #""path_prefix": "/a b""#), "routes[0].path_prefix", "not allowed in a path"),
        (configDocument(route: #""path_prefix": "/a?b""#), "routes[0].path_prefix", "not allowed in a path"),
        (configDocument(route: #""strip_prefix": "no""#), "routes[0].strip_prefix", "expected a boolean, found string"),
        (configDocument(route: #""host": "bad host""#), "routes[0].host", "invalid host pattern"),
        (configDocument(route: #""host": "*""#), "routes[0].host", "invalid host pattern"),
        (configDocument(route: #""host": "a..b""#), "routes[0].host", "invalid host pattern"),
        (configDocument(route: #""host": 7"#), "routes[0].host", "expected a string, found number"),
        (configDocument(routes: #"[{"name": "r", "upstream": "http://a"}]"#), "routes[0].upstream", "ws:// or wss://"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://u:p@a"}]"#), "routes[0].upstream", "user info"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://a/?x=1"}]"#), "routes[0].upstream", "query"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://a/#f"}]"#), "routes[0].upstream", "fragment"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://a:99999"}]"#), "routes[0].upstream", "1 to 65535"),
        (configDocument(routes: #"[{"name": "r", "upstream": "ws://"}]"#), "routes[0].upstream", "bad host"),
        (configDocument(route: #""buffer_size": 4095"#), "routes[0].buffer_size", "between 4096 and 16777216"),
        (configDocument(route: #""buffer_size": 16777217"#), "routes[0].buffer_size", "between 4096 and 16777216"),
        (configDocument(extra: #""defaults": {"buffer_size": "big"}"#), "defaults.buffer_size", "expected an integer"),
        (configDocument(extra: #""defaults": {"path_prefix": "/"}"#), "defaults.path_prefix", "unknown key"),
        (configDocument(extra: #""defaults": []"#), "defaults", "expected an object, found array"),
        (configDocument(extra: #""defaults": {"idle_timeout": -1}"#), "defaults.idle_timeout", "must not be negative"),
        (configDocument(route: #""close_timeout": -0.5"#), "routes[0].close_timeout", "must not be negative"),
        (configDocument(route: #""connect_timeout": 0"#), "routes[0].connect_timeout", "must be at least 0.001"),
        (configDocument(route: #""handshake_timeout": 0"#), "routes[0].handshake_timeout", "must be at least 0.001"),
        (configDocument(route: #""idle_timeout": 0.0001"#), "routes[0].idle_timeout", "0 (disabled) or at least 0.001"),
        (configDocument(route: #""idle_timeout": 1e9"#), "routes[0].idle_timeout", "at most 31536000 seconds"),
        (configDocument(route: #""ping_interval": "30""#), "routes[0].ping_interval", "expected a number of seconds"),
        (configDocument(route: #""pong_timeout": 0"#), "routes[0].pong_timeout", "greater than 0 while ping_interval"),
        (configDocument(route: #""ping_interval": 10, "pong_timeout": 0"#), "routes[0].pong_timeout", "greater than 0"),
        (configDocument(extra: #""defaults": {"pong_timeout": 0}"#), "defaults.pong_timeout", "greater than 0"),
        (configDocument(route: #""remask": 1"#), "routes[0].remask", "expected a boolean, found number"),
        (configDocument(extra: #""builtin_echo": "127.0.0.1:8080""#), "builtin_echo", "already used by listener \"plain\""),
        (configDocument(extra: #""builtin_echo": "echo""#), "builtin_echo", "missing ':port'"),
        (configDocument(extra: #""builtin_echo": true"#), "builtin_echo", "expected a string, found boolean"),
    ]

    @Test(arguments: cases)
    func rejectsInvalidDocument(document: String, keyPath: String, fragment: String) {
        let error = configRejection(document)
        #expect(error?.keyPath == keyPath, "\(document)")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func unknownKeyErrorListsAllowedKeys() {
        let error = configRejection(configDocument(route: #""timeout": 3"#))
        #expect(error?.keyPath == "routes[0].timeout")
        #expect(error?.message.contains("allowed: name, listeners, host, path_prefix") == true)
    }

    @Test func describesErrorWithKeyPath() {
        #expect(ConfigError(keyPath: "routes[1].upstream", message: "bad").description == "routes[1].upstream: bad")
        #expect(ConfigError(keyPath: "", message: "bad").description == "bad")
    }

    @Test func acceptsPongTimeoutZeroWhenPingsAreDisabled() throws {
        let config = try parseConfig(configDocument(route: #""ping_interval": 0, "pong_timeout": 0"#))
        #expect(config.routes[0].policy.pingInterval == 0)
        #expect(config.routes[0].policy.pongTimeout == 0)
    }

    @Test func acceptsBoundaryValues() throws {
        let config = try parseConfig(configDocument(
            route: #""buffer_size": 16777216, "idle_timeout": 31536000, "connect_timeout": 0.001"#,
            extra: #""workers": 256"#))
        #expect(config.workers == 256)
        #expect(config.routes[0].policy.bufferSize == 16_777_216)
        #expect(config.routes[0].policy.idleTimeout == 31_536_000_000)
        #expect(config.routes[0].policy.connectTimeout == 1)
    }
}
