import Testing
import WSHTTP

let sampleUpgrade = """
    GET /chat?room=42&x=1 HTTP/1.1\r
    Host: example.com:8443\r
    Upgrade: websocket\r
    Connection: keep-alive, Upgrade\r
    Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
    Sec-WebSocket-Version: 13\r
    Sec-WebSocket-Protocol: chat, superchat\r
    X-Empty:\r
    User-Agent:   test agent \t\r
    \r

    """

@Suite struct RequestHeadParserTests {
    @Test func parsesAValidUpgradeRequest() throws {
        let bytes = Array(sampleUpgrade.utf8)
        let outcome = RequestParsing.whole(bytes)
        let head = try #require(outcome.head)
        #expect(outcome.headLength == bytes.count)
        #expect(head.method == "GET")
        #expect(head.target == "/chat?room=42&x=1")
        #expect(head.path == "/chat")
        #expect(head.query == "room=42&x=1")
        #expect(head.versionMinor == 1)
        #expect(head.headers.count == 8)
        #expect(head.headers.first("host") == "example.com:8443")
        #expect(head.headers.first("USER-AGENT") == "test agent")
        #expect(head.headers.first("x-empty") == "")
        #expect(head.headers.fields.map(\.name).first == "Host")
    }

    @Test func everySplitPointGivesTheSameResult() {
        let bytes = Array(sampleUpgrade.utf8)
        let expected = RequestParsing.whole(bytes)
        #expect(expected.head != nil)
        for split in 0..<bytes.count {
            let outcome = RequestParsing.feed(bytes, prefixLengths: [split])
            #expect(outcome == .result(.incomplete), "prefix \(split) alone must be incomplete")
            #expect(RequestParsing.feed(bytes, prefixLengths: [split, bytes.count]) == expected)
        }
        #expect(RequestParsing.byteByByte(bytes) == expected)
    }

    @Test func bytesAfterTheHeadAreNotPartOfIt() throws {
        let head = Array(sampleUpgrade.utf8)
        let bytes = head + Array("\u{81}\u{05}hello".utf8)
        let outcome = RequestParsing.whole(bytes)
        #expect(outcome.headLength == head.count)
        #expect(outcome.head == RequestParsing.whole(head).head)
    }

    @Test func callingAgainAfterCompletionReturnsTheSameHead() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nextra".utf8)
        let twice = RequestParsing.feed(bytes, prefixLengths: [bytes.count, bytes.count])
        #expect(twice == RequestParsing.whole(bytes))
        #expect(RequestParsing.whole(bytes).headLength == bytes.count - 5)
    }

    @Test func acceptsHTTP10AndTargetWithoutQuery() throws {
        let head = try #require(RequestParsing.whole("GET /a/b HTTP/1.0\r\nHost: h\r\n\r\n").head)
        #expect(head.versionMinor == 0)
        #expect(head.path == "/a/b")
        #expect(head.query == nil)
        let emptyQuery = try #require(RequestParsing.whole("GET /? HTTP/1.1\r\n\r\n").head)
        #expect(emptyQuery.query == "")
    }

    @Test func keepsRepeatedFieldsInOrder() throws {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nb: 2\r\na: 3\r\n\r\n"
        let head = try #require(RequestParsing.whole(text).head)
        #expect(head.headers.values("a") == ["1", "3"])
        #expect(head.headers.fields.map(\.name) == ["Host", "A", "b", "a"])
    }

    @Test func acceptsObsTextThatIsUTF8AndTabsInsideValues() throws {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\u{E9}\tau lait\r\n\r\n"
        let head = try #require(RequestParsing.whole(text).head)
        #expect(head.headers.first("x-name") == "caf\u{E9}\tau lait")
    }
}
