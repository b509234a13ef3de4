import Testing
import WSGateway

@Suite struct RealIPTests {
    static let proxies = try! TrustedProxies(cidrs: ["10.0.0.0/8", "::1/128", "2001:db8:ff::/48", "192.0.2.7"])

    static func client(peer: String, _ forwardedFor: [String]) -> String {
        proxies.realClientAddress(peer: address(peer, port: 40_000), forwardedFor: forwardedFor).description
    }

    @Test func containsAddressesInItsBlocks() {
        #expect(Self.proxies.contains(address("10.1.2.3")))
        #expect(Self.proxies.contains(address("::1")))
        #expect(Self.proxies.contains(address("2001:db8:ff:1::9")))
        #expect(Self.proxies.contains(address("192.0.2.7")))
        #expect(Self.proxies.contains(address("::ffff:10.9.9.9")))
        #expect(!Self.proxies.contains(address("11.0.0.1")))
        #expect(!Self.proxies.contains(address("192.0.2.8")))
        #expect(!Self.proxies.contains(address("2001:db8:fe::1")))
        #expect(!Self.proxies.contains(address("::2")))
        #expect(!TrustedProxies.none.contains(address("127.0.0.1")))
    }

    @Test func anUntrustedPeerIsTheClientWhateverItClaims() {
        #expect(Self.client(peer: "203.0.113.9", ["198.51.100.1"]) == "203.0.113.9:40000")
    }

    @Test func theRightmostUntrustedAddressIsTheClient() {
        #expect(Self.client(peer: "10.0.0.1", ["198.51.100.7"]) == "198.51.100.7:0")
        #expect(Self.client(peer: "10.0.0.1", ["198.51.100.7, 10.0.0.2"]) == "198.51.100.7:0")
        // A client can prepend whatever it likes; only what trusted proxies appended counts.
        #expect(Self.client(peer: "10.0.0.1", ["1.1.1.1, 203.0.113.5,10.0.0.3"]) == "203.0.113.5:0")
        #expect(Self.client(peer: "::1", ["1.1.1.1", "2001:db8::5, 10.4.4.4"]) == "[2001:db8::5]:0")
    }

    @Test func allTrustedMeansTheLeftmost() {
        #expect(Self.client(peer: "10.0.0.1", ["10.0.0.9, 10.0.0.8"]) == "10.0.0.9:0")
        #expect(Self.client(peer: "10.0.0.1", []) == "10.0.0.1:40000")
    }

    @Test func anUnparsableEntryStopsAtTheLastTrustedAddress() {
        #expect(Self.client(peer: "10.0.0.1", ["2.2.2.2, garbage, 10.0.0.4"]) == "10.0.0.4:0")
        #expect(Self.client(peer: "10.0.0.1", ["2.2.2.2, unknown"]) == "10.0.0.1:40000")
        #expect(Self.client(peer: "10.0.0.1", ["2.2.2.2,,10.0.0.5"]) == "10.0.0.5:0")
    }

    @Test func entriesMayCarryPortsAndBrackets() {
        #expect(Self.client(peer: "10.0.0.1", ["198.51.100.7:5555"]) == "198.51.100.7:5555")
        #expect(Self.client(peer: "10.0.0.1", ["[2001:db8::7]:443"]) == "[2001:db8::7]:443")
        #expect(Self.client(peer: "10.0.0.1", [" [2001:db8::8] ,\t10.0.0.2 "]) == "[2001:db8::8]:0")
        #expect(Self.client(peer: "10.0.0.1", ["2001:db8::9"]) == "[2001:db8::9]:0")
    }

    @Test(arguments: [
        ("10.0.0.1/8", "bits set after the prefix"),
        ("10.0.0.0/33", "from 0 to 32"),
        ("10.0.0.0/08", "from 0 to 32"),
        ("10.0.0.0/", "from 0 to 32"),
        ("::/129", "from 0 to 128"),
        ("example.com/8", "bad IP address"),
        ("10.0.0/8", "bad IP address"),
    ])
    func rejectsBadCIDRs(text: String, fragment: String) {
        do {
            _ = try TrustedProxies(cidrs: ["127.0.0.0/8", text])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.keyPath == "[1]")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func zeroPrefixTrustsAWholeFamily() throws {
        let everyIPv4 = try TrustedProxies(cidrs: ["0.0.0.0/0"])
        #expect(everyIPv4.contains(address("203.0.113.1")))
        #expect(!everyIPv4.contains(address("2001:db8::1")))
        let mapped = try TrustedProxies(cidrs: ["::ffff:10.0.0.0/104"])
        #expect(mapped.contains(address("10.200.0.1")))
        #expect(!mapped.contains(address("11.0.0.1")))
    }
}
