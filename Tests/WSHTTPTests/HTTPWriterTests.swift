import Testing
import WSHTTP

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite struct HTTPWriterTests {
    @Test func errorResponseLayout() {
        let bytes = HTTPResponseWriter.errorResponse(
            status: 426, body: "WebSocket upgrade required", headers: [("Upgrade", "websocket")])
        #expect(text(bytes) == """
            HTTP/1.1 426 Upgrade Required\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Length: 27\r
            Connection: close\r
            Upgrade: websocket\r
            \r
            WebSocket upgrade required

            """)
    }

    @Test func errorResponseParsesBackWithItsBody() throws {
        let bytes = HTTPResponseWriter.errorResponse(status: 431, body: "h\u{E9}aders")
        let outcome = ResponseParsing.whole(bytes)
        let head = try #require(outcome.head)
        #expect(head.status == 431)
        #expect(head.reason == "Request Header Fields Too Large")
        let length = try #require(Int(head.headers.first("content-length") ?? ""))
        #expect(bytes.count - outcome.headLength! == length)
    }

    @Test func reasonPhrases() {
        let expected: [Int: String] = [
            101: "Switching Protocols", 200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
            413: "Content Too Large", 414: "URI Too Long", 426: "Upgrade Required", 429: "Too Many Requests",
            431: "Request Header Fields Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
        ]
        for (status, phrase) in expected { #expect(HTTPStatus.reasonPhrase(status) == phrase) }
        #expect(HTTPStatus.reasonPhrase(499) == "Client Error")
    }

    @Test func responseHeadWithCustomAndUnsafeReason() {
        #expect(text(HTTPResponseWriter.head(status: 200, reason: "Fine", headers: [])) == "HTTP/1.1 200 Fine\r\n\r\n")
        #expect(
            text(HTTPResponseWriter.head(status: 200, reason: "Fine\r\nX: y", headers: []))
                == "HTTP/1.1 200 OK\r\n\r\n")
    }

    @Test func writersDropInjectedHeaders() {
        let hostile: [(String, String)] = [
            ("Good", "value"),
            ("X-CR", "a\rInjected: 1"),
            ("X-LF", "a\nInjected: 1"),
            ("X-NUL", "a\u{0}b"),
            ("Bad\r\nInjected", "1"),
            ("Bad Name", "1"),
            ("Bad:Name", "1"),
            ("", "empty name"),
            ("Also-Good", "tab\tinside"),
        ]
        let response = text(HTTPResponseWriter.head(status: 101, headers: hostile))
        #expect(response == "HTTP/1.1 101 Switching Protocols\r\nGood: value\r\nAlso-Good: tab\tinside\r\n\r\n")
        let request = text(HTTPRequestWriter.head(method: "GET", target: "/", headers: hostile))
        #expect(request == "GET / HTTP/1.1\r\nGood: value\r\nAlso-Good: tab\tinside\r\n\r\n")
        let error = text(HTTPResponseWriter.errorResponse(status: 400, body: "x", headers: hostile))
        #expect(!error.contains("Injected"))
    }

    @Test func requestTargetCannotSplitTheLine() {
        let bytes = HTTPRequestWriter.head(method: "GET", target: "/a b\r\nX: y", headers: [("Host", "h")])
        #expect(text(bytes) == "GET /a%20b%0D%0AX:%20y HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(text(HTTPRequestWriter.head(method: "GET", target: "", headers: [])) == "GET / HTTP/1.1\r\n\r\n")
    }

    @Test func endToEndFieldsLeaveOutExcludedAndConnectionOptions() {
        let headers = HTTPHeaders([
            ("Host", "h"), ("Connection", "Upgrade, X-Hop"), ("x-hop", "1"), ("X-Kept", "2"), ("Cookie", "c"),
            ("Bad Name", "3"),
        ])
        var builder = HTTPHeadBuilder(method: "GET", target: "/")
        builder.appendEndToEndFields(of: headers, excluding: ["host", "CONNECTION", "cookie"])
        #expect(text(builder.finish()) == "GET / HTTP/1.1\r\nX-Kept: 2\r\n\r\n")
    }

    @Test func requestHeadParsesBack() throws {
        let bytes = HTTPRequestWriter.head(method: "GET", target: "/x?y=1", headers: [("Host", "h"), ("A", "b")])
        let head = try #require(RequestParsing.whole(bytes).head)
        #expect(head.target == "/x?y=1")
        #expect(head.headers == HTTPHeaders([("Host", "h"), ("A", "b")]))
    }
}
