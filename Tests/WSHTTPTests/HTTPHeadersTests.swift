import Testing
import WSHTTP

@Suite struct HTTPHeadersTests {
    let headers = HTTPHeaders([
        ("Connection", "keep-alive, Upgrade"),
        ("X-List", "a, \"b,c\" ,,  d "),
        ("x-list", "e"),
        ("Upgrade", "WebSocket"),
    ])

    @Test func lookupIsCaseInsensitive() {
        #expect(headers.first("CONNECTION") == "keep-alive, Upgrade")
        #expect(headers.values("X-LIST") == ["a, \"b,c\" ,,  d ", "e"])
        #expect(headers.contains("upgrade"))
        #expect(!headers.contains("Upgrad"))
        #expect(headers.first("missing") == nil)
        #expect(headers.count == 4)
    }

    @Test func tokensAcrossFields() {
        #expect(headers.containsToken("connection", "upgrade"))
        #expect(headers.containsToken("Connection", "KEEP-ALIVE"))
        #expect(headers.containsToken("upgrade", "websocket"))
        #expect(headers.containsToken("x-list", "e"))
        #expect(!headers.containsToken("connection", "close"))
        #expect(!headers.containsToken("connection", "keep"))
    }

    @Test func listElementsRespectQuotesAndDropEmpties() {
        #expect(headers.listElements("x-list") == ["a", "\"b,c\"", "d", "e"])
        #expect(HTTPHeaders([("A", ",,")]).listElements("a").isEmpty)
    }

    @Test func iteratesInOrderAndCompares() {
        var copy = headers
        #expect(copy == headers)
        copy.append(name: "New", value: "1")
        #expect(copy != headers)
        #expect(copy.map(\.name) == ["Connection", "X-List", "x-list", "Upgrade", "New"])
    }

    @Test func singleValueMustBeAloneAndExact() {
        #expect(headers.hasSingle("upgrade", equalTo: "WebSocket"))
        #expect(!headers.hasSingle("Upgrade", equalTo: "websocket"))
        #expect(!headers.hasSingle("X-List", equalTo: "e"))
        #expect(!headers.hasSingle("Missing", equalTo: ""))
    }

    @Test func tokenCheck() {
        #expect(HTTPToken.isValid("chat.v2+json"))
        #expect(!HTTPToken.isValid(""))
        #expect(!HTTPToken.isValid("a b"))
        #expect(!HTTPToken.isValid("a/b"))
    }
}
