import Testing
import WSHTTP

let sampleSwitch = """
    HTTP/1.1 101 Switching Protocols\r
    Upgrade: websocket\r
    Connection: Upgrade\r
    Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
    Sec-WebSocket-Protocol: chat\r
    \r

    """

@Suite struct ResponseHeadParserTests {
    @Test func parsesA101() throws {
        let bytes = Array(sampleSwitch.utf8)
        let outcome = ResponseParsing.whole(bytes + [0x81, 0x00])
        let head = try #require(outcome.head)
        #expect(outcome.headLength == bytes.count)
        #expect(head.status == 101)
        #expect(head.reason == "Switching Protocols")
        #expect(head.versionMinor == 1)
        #expect(head.headers.first("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func everySplitPointGivesTheSameResult() {
        let bytes = Array(sampleSwitch.utf8)
        let expected = ResponseParsing.whole(bytes)
        #expect(expected.head != nil)
        for split in 0..<bytes.count {
            #expect(ResponseParsing.feed(bytes, prefixLengths: [split]) == .result(.incomplete))
            #expect(ResponseParsing.feed(bytes, prefixLengths: [split, bytes.count]) == expected)
        }
        #expect(ResponseParsing.byteByByte(bytes) == expected)
    }

    @Test func reasonPhraseMayBeEmptyOrMissing() throws {
        #expect(ResponseParsing.whole("HTTP/1.1 404 \r\n\r\n").head?.reason == "")
        #expect(ResponseParsing.whole("HTTP/1.1 404\r\n\r\n").head?.status == 404)
        #expect(ResponseParsing.whole("HTTP/1.0 503 Busy now\r\n\r\n").head?.reason == "Busy now")
    }

    @Test func bodyFramingHeadersAreAllowed() {
        let text = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
        let outcome = ResponseParsing.whole(text)
        #expect(outcome.head?.headers.first("content-length") == "9")
        #expect(outcome.headLength == text.utf8.count - 9)
    }

    @Test func rejectsMalformedStatusLines() {
        let cases: [(String, Int)] = [
            ("HTTP/1.1 1010 Switching\r\n\r\n", 400),
            ("HTTP/1.1 10 Short\r\n\r\n", 400),
            ("HTTP/1.1 abc Letters\r\n\r\n", 400),
            ("HTTP/1.1 099 Low\r\n\r\n", 400),
            ("HTTP/1.1\r\n\r\n", 400),
            ("HTTP/2 101 Switching\r\n\r\n", 400),
            ("HTTP/2.0 101 Switching\r\n\r\n", 505),
            ("ICY 200 OK\r\n\r\n", 400),
            ("\r\n\r\n", 400),
        ]
        for (text, status) in cases {
            #expect(ResponseParsing.whole(text).error?.status == status, "\(text)")
        }
    }

    @Test func sameLineAndFieldStrictnessAsRequests() {
        let cases = [
            "HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n",
            "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\r\n\r\n",
            "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n folded\r\n\r\n",
            "HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n",
            "HTTP/1.1 101 OK\r\nUp\u{0}grade: websocket\r\n\r\n",
            "HTTP/1.1 101 OK\r\nUpgrade: web\u{7F}socket\r\n\r\n",
            "HTTP/1.1 101 O\u{1}K\r\n\r\n",
        ]
        for text in cases {
            #expect(ResponseParsing.whole(text).error?.status == 400, "\(text.debugDescription)")
        }
    }

    @Test func limitsApply() {
        let many = "HTTP/1.1 101 OK\r\n" + (0...100).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(ResponseParsing.whole(many).error?.status == 431)
        let huge = Array("HTTP/1.1 101 OK\r\nX: ".utf8) + [UInt8](repeating: 0x61, count: 16384)
        #expect(ResponseParsing.feed(huge, prefixLengths: [16384]).error?.status == 431)
    }
}
