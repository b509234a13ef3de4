import Testing
import WSHTTP

@Suite struct HeadLimitTests {
    /// A request line of exactly `length` bytes including CRLF.
    func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1\r\n".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1\r\n"
    }

    @Test func requestLineOfExactly8KiBIsAccepted() {
        let text = requestLine(length: 8192) + "Host: h\r\n\r\n"
        #expect(RequestParsing.whole(text).head != nil)
    }

    @Test func requestLineOneByteTooLongIs414() {
        let text = requestLine(length: 8193) + "Host: h\r\n\r\n"
        #expect(RequestParsing.whole(text).error?.status == 414)
    }

    @Test func fails414AsSoonAs8KiBArriveWithoutCRLF() {
        let bytes = [UInt8]("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 8192 - 5)
        #expect(RequestParsing.feed(bytes, prefixLengths: [8191]) == .result(.incomplete))
        #expect(RequestParsing.feed(bytes, prefixLengths: [8192]).error?.status == 414)
        #expect(RequestParsing.feed(bytes, prefixLengths: [4000, 8191, 8192]).error?.status == 414)
        #expect(RequestParsing.byteByByte(bytes).error?.status == 414)
    }

    @Test func a414DoesNotWaitForA16KiBHead() {
        let bytes = [UInt8]("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 20000)
        #expect(RequestParsing.whole(bytes).error?.status == 414)
    }

    @Test func headOfExactly16KiBIsAccepted() {
        let start = "GET / HTTP/1.1\r\nHost: h\r\n"
        let filler = 16384 - start.utf8.count - "X: \r\n\r\n".utf8.count
        let text = start + "X: " + String(repeating: "v", count: filler) + "\r\n\r\n"
        #expect(text.utf8.count == 16384)
        #expect(RequestParsing.whole(text).headLength == 16384)
    }

    @Test func fails431AsSoonAs16KiBArriveWithoutTheEnd() {
        let start = "GET / HTTP/1.1\r\nHost: h\r\nX: "
        let bytes = Array(start.utf8) + [UInt8](repeating: UInt8(ascii: "v"), count: 16384 - start.utf8.count)
        #expect(RequestParsing.feed(bytes, prefixLengths: [16383]) == .result(.incomplete))
        #expect(RequestParsing.feed(bytes, prefixLengths: [16384]).error?.status == 431)
        #expect(RequestParsing.feed(bytes, prefixLengths: [100, 9000, 16384]).error?.status == 431)
        let longer = bytes + Array("\r\n\r\n".utf8)
        #expect(RequestParsing.whole(longer).error?.status == 431)
    }

    @Test func headEndingOneByteBeyond16KiBIs431() {
        let start = "GET / HTTP/1.1\r\nHost: h\r\n"
        let filler = 16385 - start.utf8.count - "X: \r\n\r\n".utf8.count
        let text = start + "X: " + String(repeating: "v", count: filler) + "\r\n\r\n"
        #expect(RequestParsing.whole(text).error?.status == 431)
    }

    @Test func hundredHeadersAreAcceptedAndOneMoreIs431() {
        let hundred = (1..<100).map { "X-\($0): v" }
        let accepted = RequestParsing.whole(request(hundred))
        #expect(accepted.head?.headers.count == 100)
        let rejected = RequestParsing.whole(request(hundred + ["X-100: v"]))
        #expect(rejected.error?.status == 431)
        #expect(RequestParsing.byteByByte(request(hundred + ["X-100: v"])) == rejected)
    }

    @Test func customLimitsApply() {
        let limits = HTTPLimits(maxRequestLine: 32, maxHeadSize: 64, maxHeaderCount: 2)
        #expect(RequestParsing.whole(request(["A: 1", "B: 2"]), limits: limits).error?.status == 431)
        #expect(RequestParsing.whole(request(["A: 1"]), limits: limits).head != nil)
        let longLine = "GET /" + String(repeating: "p", count: 30) + " HTTP/1.1"
        #expect(RequestParsing.whole(request([], requestLine: longLine), limits: limits).error?.status == 414)
    }

    func request(_ lines: [String], requestLine: String = "GET / HTTP/1.1") -> [UInt8] {
        Array((requestLine + "\r\nHost: h\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
    }
}
