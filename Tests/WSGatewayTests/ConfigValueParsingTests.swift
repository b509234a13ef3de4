import Testing
import WSGateway

@Suite struct ConfigValueParsingTests {
    @Test(arguments: [
        ("127.0.0.1:8080", SocketAddressSpec(host: "127.0.0.1", port: 8080), "127.0.0.1:8080"),
        ("0.0.0.0:1", SocketAddressSpec(host: "0.0.0.0", port: 1), "0.0.0.0:1"),
        ("[::1]:65535", SocketAddressSpec(host: "::1", port: 65535), "[::1]:65535"),
        ("[2001:db8::7]:443", SocketAddressSpec(host: "2001:db8::7", port: 443), "[2001:db8::7]:443"),
        ("localhost:9", SocketAddressSpec(host: "localhost", port: 9), "localhost:9"),
    ] as [(String, SocketAddressSpec, String)])
    func parsesSocketAddress(text: String, expected: SocketAddressSpec, description: String) throws {
        let address = try SocketAddressSpec(parsing: text)
        #expect(address == expected)
        #expect(address.description == description)
    }

    @Test(arguments: [
        "", ":80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:+80", "127.0.0.1:080000", "1.2.3:80",
        "256.1.1.1:80", "01.2.3.4:80", "::1:80", "[::1]", "[::1]80", "[::1:80", "host.example:80", "LOCALHOST:80",
        "127.0.0.1:80 ",
    ])
    func rejectsSocketAddress(text: String) {
        #expect(throws: ConfigError.self) { try SocketAddressSpec(parsing: text) }
    }

    @Test(arguments: [
        ("ws://127.0.0.1:9000/base", UpstreamURL(secure: false, host: "127.0.0.1", port: 9000, path: "/base"),
         "ws://127.0.0.1:9000/base"),
        ("ws://example.com", UpstreamURL(secure: false, host: "example.com", port: 80, path: "/"), "ws://example.com/"),
        ("wss://Example.COM/a/B", UpstreamURL(secure: true, host: "example.com", port: 443, path: "/a/B"),
         "wss://example.com/a/B"),
        ("WSS://h:443/", UpstreamURL(secure: true, host: "h", port: 443, path: "/"), "wss://h/"),
        ("ws://[::1]:9000/x", UpstreamURL(secure: false, host: "::1", port: 9000, path: "/x"), "ws://[::1]:9000/x"),
        ("ws://[::1]", UpstreamURL(secure: false, host: "::1", port: 80, path: "/"), "ws://[::1]/"),
        ("ws://my_service:80/%2F", UpstreamURL(secure: false, host: "my_service", port: 80, path: "/%2F"),
         "ws://my_service/%2F"),
    ] as [(String, UpstreamURL, String)])
    func parsesUpstreamURL(text: String, expected: UpstreamURL, description: String) throws {
        let url = try UpstreamURL(parsing: text)
        #expect(url == expected)
        #expect(url.description == description)
    }

    @Test func upstreamAuthorityOmitsDefaultPort() throws {
        #expect(try UpstreamURL(parsing: "wss://a:443").authority == "a")
        #expect(try UpstreamURL(parsing: "ws://a:443").authority == "a:443")
        #expect(try UpstreamURL(parsing: "ws://[::1]:81").authority == "[::1]:81")
    }

    @Test(arguments: [
        "http://a", "a:80", "ws:/a", "ws://", "ws://:80", "ws://a:", "ws://a:0", "ws://a:x", "ws://u@a",
        "ws://a?q", "ws://a/#f", "ws://[::g]/", "ws://[::1", "ws://[::1]x", "ws://a b/", "ws://a/b c",
        "ws://-a/", "ws://a..b/",
    ])
    func rejectsUpstreamURL(text: String) {
        #expect(throws: ConfigError.self) { try UpstreamURL(parsing: text) }
    }

    @Test(arguments: [
        ("example.com", HostPattern.exact("example.com")),
        ("Chat.Example.COM", .exact("chat.example.com")),
        ("*.Example.com", .wildcard(suffix: "example.com")),
        ("10.0.0.1", .exact("10.0.0.1")),
        ("[::1]", .exact("::1")),
    ] as [(String, HostPattern)])
    func parsesHostPattern(text: String, expected: HostPattern) throws {
        #expect(try HostPattern(parsing: text) == expected)
    }

    @Test(arguments: ["", "*", "*.", "a.*.com", "**.a", "a b", "a:80", "[::g]", "-a.com", "a_.com."])
    func rejectsHostPattern(text: String) {
        #expect(throws: ConfigError.self) { try HostPattern(parsing: text) }
    }

    @Test func hostPatternDescriptionRoundTrips() throws {
        for text in ["example.com", "*.example.com", "[::1]"] {
            #expect(try HostPattern(parsing: text).description == text)
        }
    }
}
