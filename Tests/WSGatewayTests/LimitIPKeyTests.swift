import Testing
import WSGateway
import WSIO

@Suite struct LimitIPKeyTests {
    @Test func ipv4Slash24PutsASubnetUnderOneKey() {
        let key = ipKey("192.0.2.77", ipv4Prefix: 24)
        #expect(key == ipKey("192.0.2.200", ipv4Prefix: 24))
        #expect(key == ipKey("192.0.2.0", ipv4Prefix: 24))
        #expect(key != ipKey("192.0.3.77", ipv4Prefix: 24))
        #expect(key.description == "192.0.2.0")
        #expect(!key.isIPv6)
    }

    @Test func ipv6Slash64PutsASubnetUnderOneKey() {
        let key = ipKey("2001:db8:1:2:aaaa::1", ipv6Prefix: 64)
        #expect(key == ipKey("2001:db8:1:2:ffff:ffff:ffff:ffff", ipv6Prefix: 64))
        #expect(key != ipKey("2001:db8:1:3::1", ipv6Prefix: 64))
        #expect(key.description == "2001:db8:1:2::")
        #expect(key.isIPv6)
    }

    @Test func fullLengthKeysKeepEveryAddressApart() {
        #expect(ipKey("192.0.2.1") != ipKey("192.0.2.2"))
        #expect(ipKey("2001:db8::1") != ipKey("2001:db8::2"))
        #expect(ipKey("192.0.2.1").description == "192.0.2.1")
    }

    @Test(arguments: [(1, "128.0.0.0"), (8, "203.0.0.0"), (17, "203.0.0.0"), (31, "203.0.113.254"),
                      (32, "203.0.113.255")])
    func ipv4PrefixesKeepTheirLeadingBits(prefix: Int, network: String) {
        #expect(ipKey("203.0.113.255", ipv4Prefix: prefix).description == network)
    }

    @Test(arguments: [(1, "8000::"), (48, "ffff:ffff:ffff::"), (65, "ffff:ffff:ffff:ffff:8000::"),
                      (127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")])
    func ipv6PrefixesKeepTheirLeadingBits(prefix: Int, network: String) {
        #expect(ipKey("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ipv6Prefix: prefix).description == network)
    }

    @Test func ipv4MappedAddressesCountAsIPv4() {
        #expect(ipKey("::ffff:192.0.2.1") == ipKey("192.0.2.1"))
        #expect(ipKey("::ffff:192.0.2.1", ipv4Prefix: 24, ipv6Prefix: 128) == ipKey("192.0.2.99", ipv4Prefix: 24))
    }

    @Test func nonIPAddressesHaveNoKey() {
        #expect(IPAddressKey(SocketAddress()) == nil)
    }

    @Test func connectionLimitsMaskWithTheirPrefixes() {
        let limits = connectionLimits(perIP: 2, ipv4Prefix: 24, ipv6Prefix: 64)
        #expect(limits.key(for: address("192.0.2.5", port: 1000)) == ipKey("192.0.2.250", ipv4Prefix: 24))
        let leases = ["192.0.2.5", "192.0.2.6"].compactMap { limits.admit(listener: 0, ip: limits.key(for: address($0))).lease }
        #expect(leases.count == 2)
        #expect(limits.admit(listener: 0, ip: limits.key(for: address("192.0.2.7"))).rejection == .ip)
        #expect(limits.admit(listener: 0, ip: limits.key(for: address("192.0.3.7"))).lease != nil)
        let v6 = ["2001:db8:0:1::1", "2001:db8:0:1::2"].compactMap {
            limits.admit(listener: 0, ip: limits.key(for: address($0))).lease
        }
        #expect(v6.count == 2)
        #expect(limits.admit(listener: 0, ip: limits.key(for: address("2001:db8:0:1:ffff::"))).rejection == .ip)
        #expect(limits.admit(listener: 0, ip: limits.key(for: address("2001:db8:0:2::1"))).lease != nil)
    }
}
