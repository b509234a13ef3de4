import Testing
import WSHTTP

/// A head with a valid request line and Host, then `lines`, then the final CRLF.
func request(_ lines: String..., requestLine: String = "GET / HTTP/1.1") -> [UInt8] {
    Array((requestLine + "\r\nHost: example.com\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
}

@Suite struct RequestHeadRejectionTests {
    /// Expects the same rejection whether the bytes arrive at once or one at a time.
    func expectRejected(
        _ bytes: [UInt8], status: Int, reasonContains fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let whole = RequestParsing.whole(bytes)
        #expect(whole.error?.status == status, "got \(whole)", sourceLocation: sourceLocation)
        #expect(whole.error?.reason.contains(fragment) == true, "got \(whole)", sourceLocation: sourceLocation)
        #expect(RequestParsing.byteByByte(bytes) == whole, sourceLocation: sourceLocation)
    }

    @Test func bareLF() {
        expectRejected(Array("GET / HTTP/1.1\nHost: a\r\n\r\n".utf8), status: 400, reasonContains: "bare LF")
        expectRejected(request("A: b\n"), status: 400, reasonContains: "bare LF")
        expectRejected(Array("GET / HTTP/1.1\r\nHost: a\r\n\n".utf8), status: 400, reasonContains: "bare LF")
    }

    @Test func bareCR() {
        expectRejected(Array("GET / HTTP/1.1\rHost: a\r\n\r\n".utf8), status: 400, reasonContains: "bare CR")
        expectRejected(request("A: b\rc"), status: 400, reasonContains: "bare CR")
    }

    @Test func crAtTheEndWaitsForTheNextByte() {
        #expect(RequestParsing.whole("GET / HTTP/1.1\r") == .result(.incomplete))
    }

    @Test func obsFold() {
        expectRejected(request("X-A: one", " two"), status: 400, reasonContains: "folding")
        expectRejected(request("X-A: one", "\ttwo"), status: 400, reasonContains: "folding")
    }

    @Test func whitespaceBeforeColon() {
        expectRejected(request("X-A : one"), status: 400, reasonContains: "whitespace between")
        expectRejected(request("X-A\t: one"), status: 400, reasonContains: "whitespace between")
    }

    @Test func invalidHeaderNames() {
        expectRejected(request("X(A): one"), status: 400, reasonContains: "invalid header name")
        expectRejected(request(": one"), status: 400, reasonContains: "invalid header name")
        expectRejected(request("X A: one"), status: 400, reasonContains: "invalid header name")
        expectRejected(request("no colon here"), status: 400, reasonContains: "without colon")
    }

    @Test func controlCharactersInValues() {
        for control: UInt8 in [0x01, 0x08, 0x0B, 0x1F, 0x7F] {
            var bytes = request("X-A: abc")
            let position = bytes.firstIndex(of: UInt8(ascii: "b"))!
            bytes[position] = control
            expectRejected(bytes, status: 400, reasonContains: "control character")
        }
    }

    @Test func invalidUTF8InValue() {
        var bytes = request("X-A: abc")
        bytes[bytes.firstIndex(of: UInt8(ascii: "b"))!] = 0xFF
        expectRejected(bytes, status: 400, reasonContains: "not UTF-8")
    }

    @Test func nulAnywhere() {
        var inValue = request("X-A: abc")
        inValue[inValue.firstIndex(of: UInt8(ascii: "b"))!] = 0
        expectRejected(inValue, status: 400, reasonContains: "NUL")
        var inTarget = request()
        inTarget[5] = 0
        expectRejected(inTarget, status: 400, reasonContains: "NUL")
    }

    @Test func hostRules() {
        expectRejected(request("Host: other.com"), status: 400, reasonContains: "duplicate Host")
        expectRejected(request("host: example.com"), status: 400, reasonContains: "duplicate Host")
        expectRejected(Array("GET / HTTP/1.1\r\nHost:  \r\n\r\n".utf8), status: 400, reasonContains: "empty Host")
        expectRejected(
            Array("GET / HTTP/1.1\r\nHost: a b\r\n\r\n".utf8), status: 400, reasonContains: "invalid Host")
        expectRejected(
            Array("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n".utf8), status: 400, reasonContains: "invalid Host")
        #expect(RequestParsing.whole("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").head != nil)
    }

    @Test func bodyFramingHeaders() {
        expectRejected(request("Content-Length: 0"), status: 400, reasonContains: "Content-Length")
        expectRejected(request("transfer-encoding: chunked"), status: 400, reasonContains: "Transfer-Encoding")
    }

    @Test func invalidMethod() {
        expectRejected(request(requestLine: "G(T / HTTP/1.1"), status: 400, reasonContains: "method")
        expectRejected(request(requestLine: " GET / HTTP/1.1"), status: 400, reasonContains: "method")
    }

    @Test func malformedRequestLines() {
        expectRejected(request(requestLine: "GET /"), status: 400, reasonContains: "malformed request line")
        expectRejected(request(requestLine: "GET  / HTTP/1.1"), status: 400, reasonContains: "origin-form")
        expectRejected(request(requestLine: "GET / HTTP/1.1 "), status: 400, reasonContains: "version")
        expectRejected(request(requestLine: "GET / x HTTP/1.1"), status: 400, reasonContains: "version")
        expectRejected(Array("\r\nGET / HTTP/1.1\r\n\r\n".utf8), status: 400, reasonContains: "empty request line")
    }

    @Test func targetMustBeOriginForm() {
        for target in ["*", "http://example.com/", "example.com:443", "chat"] {
            expectRejected(
                request(requestLine: "GET \(target) HTTP/1.1"), status: 400, reasonContains: "origin-form")
        }
        expectRejected(request(requestLine: "GET /a#frag HTTP/1.1"), status: 400, reasonContains: "request target")
        expectRejected(
            Array("GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n".utf8), status: 400, reasonContains: "request target")
    }

    @Test func versions() {
        expectRejected(request(requestLine: "GET / HTTP/2.0"), status: 505, reasonContains: "unsupported")
        expectRejected(request(requestLine: "GET / HTTP/1.2"), status: 505, reasonContains: "unsupported")
        expectRejected(request(requestLine: "GET / HTTP/0.9"), status: 505, reasonContains: "unsupported")
        expectRejected(request(requestLine: "GET / http/1.1"), status: 400, reasonContains: "malformed HTTP version")
        expectRejected(request(requestLine: "GET / HTTP/1.10"), status: 400, reasonContains: "malformed HTTP version")
        expectRejected(request(requestLine: "GET / HTTP/11"), status: 400, reasonContains: "malformed HTTP version")
    }

    @Test func failsAtTheFirstBadLineWithoutWaitingForTheEnd() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nBad\n".utf8)
        #expect(RequestParsing.whole(bytes).error?.reason.contains("bare LF") == true)
        let early = Array("GET / HTTP/3.0\r\n".utf8)
        #expect(RequestParsing.whole(early).error?.status == 505)
    }
}
