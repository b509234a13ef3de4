import Testing
import WSGateway

@Suite struct OriginPolicyTests {
    static let policy = try! OriginPolicy(allowing: [
        "https://app.example.com", "https://*.example.net", "http://localhost:3000", "HTTPS://[2001:DB8::1]:8443",
    ])

    @Test func allowsExactOrigins() {
        #expect(Self.policy.allows("https://app.example.com"))
        #expect(Self.policy.allows("http://localhost:3000"))
        #expect(Self.policy.allows("https://[2001:db8::1]:8443"))
    }

    @Test func comparesSchemeAndHostCaseInsensitively() {
        #expect(Self.policy.allows("HTTPS://App.Example.COM"))
        #expect(Self.policy.allows("https://API.example.NET"))
    }

    @Test func treatsTheDefaultPortAsWrittenOrNot() throws {
        #expect(Self.policy.allows("https://app.example.com:443"))
        #expect(!Self.policy.allows("https://app.example.com:8443"))
        #expect(!Self.policy.allows("http://localhost"))
        #expect(try OriginPolicy(allowing: ["https://a.example.com:443"]).allows("https://a.example.com"))
    }

    @Test func wildcardsMatchSubdomainsOnly() {
        #expect(Self.policy.allows("https://a.example.net"))
        #expect(Self.policy.allows("https://a.b.example.net"))
        #expect(!Self.policy.allows("https://example.net"))
        #expect(!Self.policy.allows("https://badexample.net"))
        #expect(!Self.policy.allows("https://a.example.net.evil.com"))
        #expect(!Self.policy.allows("http://a.example.net"))
    }

    @Test func refusesOtherSchemesHostsAndMissingOrigins() {
        #expect(!Self.policy.allows("http://app.example.com"))
        #expect(!Self.policy.allows("https://other.example.com"))
        #expect(!Self.policy.allows(nil))
        #expect(!Self.policy.allows(""))
        #expect(!Self.policy.allows("null"))
        #expect(!Self.policy.allows("https://app.example.com/path"))
        #expect(!Self.policy.allows("https://*.example.net"))
        #expect(!Self.policy.allows("https://user@app.example.com"))
    }

    @Test func anEmptyListRefusesEveryOrigin() throws {
        #expect(!(try OriginPolicy(allowing: [])).allows("https://app.example.com"))
    }

    @Test(arguments: [
        ("app.example.com", "expected scheme://host[:port]"),
        ("https://app.example.com/", "no path"),
        ("https://", "bad host"),
        ("https://a.*.example.com", "bad host"),
        ("https://*", "bad host"),
        ("1https://a.com", "bad scheme"),
        ("https://a.com:0", "1 to 65535"),
        ("https://a.com:x", "1 to 65535"),
        ("https://[::g]", "bad IPv6"),
        ("gopher://a.com", "a port is needed"),
    ])
    func rejectsMalformedPatterns(pattern: String, fragment: String) {
        do {
            _ = try OriginPolicy(allowing: ["https://ok.example.com", pattern])
            Issue.record("accepted \(pattern)")
        } catch {
            #expect(error.keyPath == "[1]")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }
}
