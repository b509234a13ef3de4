import Testing
import WSGateway

@Suite struct ProxyProtocolV1Tests {
    static let tcp4 = Array("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n".utf8)
    static let tcp6 = Array("PROXY TCP6 2001:db8::1 2001:db8::2 65535 0\r\n".utf8)

    @Test func parsesTCP4() {
        let result = parseProxyHeader(Self.tcp4 + Array("GET / HTTP/1.1\r\n".utf8))
        #expect(describe(result) == "header \(Self.tcp4.count) 192.0.2.1:56324 198.51.100.2:443")
    }

    @Test func parsesTCP6() {
        #expect(describe(parseProxyHeader(Self.tcp6)) == "header \(Self.tcp6.count) [2001:db8::1]:65535 [2001:db8::2]:0")
    }

    @Test func parsesUnknownWithAndWithoutAddresses() {
        let bare = Array("PROXY UNKNOWN\r\n".utf8)
        #expect(describe(parseProxyHeader(bare)) == "header 15 - -")
        let full = Array("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n".utf8)
        #expect(describe(parseProxyHeader(full + [0x16])) == "header \(full.count) - -")
    }

    @Test func everyTruncationIsIncomplete() {
        for header in [Self.tcp4, Self.tcp6, Array("PROXY UNKNOWN\r\n".utf8)] {
            for length in 0..<header.count {
                #expect(describe(parseProxyHeader(Array(header[..<length]))) == "incomplete", "at \(length)")
            }
        }
    }

    @Test func acceptsTheLongestHeaderAndNoLonger() {
        let filler = String(repeating: "x", count: 107 - "PROXY UNKNOWN \r\n".utf8.count)
        let longest = Array("PROXY UNKNOWN \(filler)\r\n".utf8)
        #expect(longest.count == ProxyProtocolParser.maximumV1Length)
        #expect(describe(parseProxyHeader(longest)) == "header 107 - -")
        let tooLong = Array("PROXY UNKNOWN x\(filler)\r\n".utf8)
        #expect(describe(parseProxyHeader(tooLong)) == "invalid")
        #expect(describe(parseProxyHeader(Array(tooLong[..<106]))) == "invalid")
        #expect(describe(parseProxyHeader(Array(tooLong[..<105]))) == "incomplete")
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\n",
        "PROXX TCP4",
        "proxy TCP4 192.0.2.1 192.0.2.2 1 2\r\n",
        "PROXY TCP5 192.0.2.1 192.0.2.2 1 2\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 3\r\n",
        "PROXY TCP4  192.0.2.1 192.0.2.2 1 2\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 2 \r\n",
        "PROXY TCP4 2001:db8::1 192.0.2.2 1 2\r\n",
        "PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n",
        "PROXY TCP4 192.0.2.256 192.0.2.2 1 2\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 01 2\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 65536\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 -2\r\n",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\rX",
        "PROXY TCP4 192.0.2.1 192.0.2.2 1 2\n\r\n",
        "PROXY \r\n",
    ])
    func rejectsGarbage(text: String) {
        #expect(describe(parseProxyHeader(Array(text.utf8))) == "invalid")
    }

    @Test func rejectsAnUnrelatedFirstByteAtOnce() {
        #expect(invalidReason(parseProxyHeader([0x16])) == "not a PROXY protocol header")
        #expect(describe(parseProxyHeader(Array("PRO".utf8))) == "incomplete")
        #expect(describe(parseProxyHeader(Array("PRX".utf8))) == "invalid")
    }
}
