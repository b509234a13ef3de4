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
}
