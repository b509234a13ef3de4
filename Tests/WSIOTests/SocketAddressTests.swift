import Testing
import WSIO

@Suite struct SocketAddressTests {
    @Test func ipv4HostIsDottedDecimal() {
        for text in ["0.0.0.0", "1.2.3.4", "9.10.99.100", "203.0.113.7", "255.255.255.255", "127.0.0.1"] {
            #expect(SocketAddress(host: text, port: 80)?.host == text)
        }
    }

    @Test func ipv6HostIsCompressed() {
        #expect(SocketAddress(host: "[2001:db8:0:0:0:0:0:1]", port: 443)?.host == "2001:db8::1")
        #expect(SocketAddress(host: "::1", port: 443)?.description == "[::1]:443")
    }

    @Test func loopbackIs127Slash8AndColonColon1() {
        for text in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] {
            #expect(SocketAddress(host: text, port: 80)?.isLoopback == true, "\(text)")
        }
        for text in ["0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "::2", "::ffff:127.0.0.1", "fe80::1"] {
            #expect(SocketAddress(host: text, port: 80)?.isLoopback == false, "\(text)")
        }
    }
}
