import Testing
import WSJSON

@Suite struct JSONInvalidDocumentTests {
    @Test(arguments: [
        ("", "unexpected end of input"),
        ("   ", "unexpected end of input"),
        ("[1,]", "unexpected character ']'"),
        ("{\"a\":1,}", "expected a string key"),
        ("[1 2]", "expected ',' or ']'"),
        ("{\"a\" 1}", "expected ':'"),
        ("{\"a\":1 \"b\":2}", "expected ',' or '}'"),
        ("{a:1}", "expected a string key"),
        ("['a']", "unexpected character"),
        ("[1] // comment", "unexpected data after"),
        ("/* c */ 1", "unexpected character '/'"),
        ("1 2", "unexpected data after"),
        ("{} x", "unexpected data after"),
        ("tru", "invalid literal"),
        ("nul", "invalid literal"),
        ("True", "unexpected character 'T'"),
        ("[", "unexpected end of input"),
        ("[1", "expected ',' or ']'"),
        ("{\"a\":", "unexpected end of input"),
        ("{\"a\":1", "expected ',' or '}'"),
        ("NaN", "unexpected character 'N'"),
        ("\u{FEFF}1", "unexpected character"),
    ] as [(String, String)])
    func rejectsMalformedDocument(text: String, messageFragment: String) {
        let error = rejection(text)
        #expect(error?.message.contains(messageFragment) == true, "\(text): \(String(describing: error))")
    }

    @Test func reportsDuplicateKeyAtItsOffset() {
        let error = rejection("{\"a\":1,\"b\":2,\"a\":3}")
        #expect(error == JSONParseError(offset: 13, message: "duplicate key \"a\""))
    }

    @Test func rejectsDuplicateKeysSpelledWithEscapes() {
        #expect(rejection("{\"a\":1,\"\\u0061\":2}")?.message == "duplicate key \"a\"")
    }

    @Test func allowsSameKeyInDifferentObjects() {
        #expect(parsed("[{\"a\":1},{\"a\":2}]") == [["a": 1], ["a": 2]])
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(rejection(text)?.message == "nesting deeper than 64 levels")
        #expect(rejection("[[1]]", maxDepth: 1)?.offset == 1)
        #expect(rejection("{\"a\":{}}", maxDepth: 1) != nil)
    }

    @Test func depthLimitIsCappedAtTheCeiling() {
        let depth = JSONParser.depthCeiling + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(rejection(text, maxDepth: Int.max)?.message == "nesting deeper than \(JSONParser.depthCeiling) levels")
    }

    @Test func survivesHostileNestingWithoutRecursing() {
        let text = String(repeating: "[", count: 1_000_000)
        #expect(rejection(text)?.offset == 64)
    }

    @Test func rejectsScalarsWhenDepthIsZeroOnlyForContainers() {
        #expect(parsed("1", maxDepth: 0) == 1)
        #expect(rejection("[]", maxDepth: 0) != nil)
    }

    @Test func everyTruncationOfAValidDocumentIsRejectedOrValid() {
        let bytes = Array("{\"a\":[1.5e3,\"x\\u00e9\\ud83d\\ude00\",true,null],\"b\":{}}".utf8)
        for length in 0..<bytes.count {
            // Prefixes such as "{\"a\":[1" are never complete documents, so each must fail cleanly.
            #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes[0..<length]) }
        }
        #expect(throws: Never.self) { try JSONParser.parse(bytes) }
    }
}
