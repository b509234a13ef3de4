import Testing
import WSGateway

@Suite struct ProxyProtocolV2Tests {
    static let ipv4Body: [UInt8] = [192, 0, 2, 1, 198, 51, 100, 2, 0xDC, 0x04, 0x01, 0xBB]
    static let ipv6Body: [UInt8] =
        [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]
        + [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [2] + [0x1F, 0x90, 0x00, 0x50]
    /// An ALPN TLV and a NOOP TLV, which the parser skips.
    static let tlvs: [UInt8] = [0x01, 0x00, 0x02, 0x68, 0x32, 0x04, 0x00, 0x00]

    @Test func parsesTCPOverIPv4WithTLVs() {
        let header = proxyV2(family: 0x11, body: Self.ipv4Body + Self.tlvs)
        #expect(describe(parseProxyHeader(header + Array("GET".utf8)))
            == "header \(header.count) 192.0.2.1:56324 198.51.100.2:443")
    }

    @Test func parsesTCPOverIPv6() {
        let header = proxyV2(family: 0x21, body: Self.ipv6Body)
        #expect(header.count == 52)
        #expect(describe(parseProxyHeader(header)) == "header 52 [2001:db8::1]:8080 [2001:db8::2]:80")
    }

    @Test func localCommandCarriesNoAddresses() {
        #expect(describe(parseProxyHeader(proxyV2(command: 0x20, family: 0x00, body: []))) == "header 16 - -")
        // A LOCAL header's address block, if any, is ignored.
        #expect(describe(parseProxyHeader(proxyV2(command: 0x20, family: 0x11, body: Self.ipv4Body))) == "header 28 - -")
    }

    @Test func unspecifiedAndUnixFamiliesCarryNoAddresses() {
        #expect(describe(parseProxyHeader(proxyV2(family: 0x00, body: Self.tlvs))) == "header 24 - -")
        let unix = proxyV2(family: 0x31, body: Array(repeating: 0x2F, count: 216))
        #expect(describe(parseProxyHeader(unix)) == "header 232 - -")
    }

    @Test func everyTruncationIsIncomplete() {
        for header in [proxyV2(family: 0x11, body: Self.ipv4Body + Self.tlvs), proxyV2(family: 0x21, body: Self.ipv6Body),
                       proxyV2(command: 0x20, family: 0x00, body: [])] {
            for length in 0..<header.count {
                #expect(describe(parseProxyHeader(Array(header[..<length]))) == "incomplete", "at \(length)")
            }
        }
    }

    @Test func rejectsBadHeaders() {
        var badSignature = proxyV2(family: 0x11, body: Self.ipv4Body)
        badSignature[7] = 0x52
        let cases: [(String, [UInt8], String)] = [
            ("signature", badSignature, "not a PROXY protocol header"),
            ("signature prefix", Array(badSignature[..<8]), "not a PROXY protocol header"),
            ("version 1 binary", proxyV2(command: 0x11, family: 0x11, body: Self.ipv4Body), "version/command"),
            ("command 2", proxyV2(command: 0x22, family: 0x11, body: Self.ipv4Body), "version/command"),
            ("bad command seen early", Array(proxyV2(command: 0x2F, family: 0x11, body: [])[..<13]), "version/command"),
            ("datagram", proxyV2(family: 0x12, body: Self.ipv4Body), "family/transport"),
            ("unknown family", proxyV2(family: 0x41, body: Self.ipv4Body), "family/transport"),
            ("short IPv4 block", proxyV2(family: 0x11, body: Array(Self.ipv4Body[..<11])), "shorter"),
            ("short IPv6 block", proxyV2(family: 0x21, body: Self.ipv4Body), "shorter"),
            ("TLV overrun", proxyV2(family: 0x11, body: Self.ipv4Body + [0x01, 0x00, 0x05, 0x68]), "TLV"),
            ("TLV header cut", proxyV2(family: 0x11, body: Self.ipv4Body + [0x01, 0x00]), "TLV"),
            ("too long", Array(proxyV2(family: 0x11, body: Array(repeating: 0, count: 4081))[..<16]), "too long"),
        ]
        for (name, bytes, fragment) in cases {
            let reason = invalidReason(parseProxyHeader(bytes))
            #expect(reason.contains(fragment), "\(name): \(reason)")
        }
    }

    @Test func acceptsTheLongestHeader() {
        let body = Self.ipv4Body + [0x04, 0x0F, 0xE1] + Array(repeating: 0, count: 4065)
        let header = proxyV2(family: 0x11, body: body)
        #expect(header.count == ProxyProtocolParser.maximumV2Length)
        #expect(describe(parseProxyHeader(header)) == "header 4096 192.0.2.1:56324 198.51.100.2:443")
    }
}
