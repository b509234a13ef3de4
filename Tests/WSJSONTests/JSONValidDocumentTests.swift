import Testing
import WSJSON

@Suite struct JSONValidDocumentTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .number(0)),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        (" \t\r\n[ 1 , \"a\" ]\n ", [1, "a"]),
        ("[[],[[]],{}]", [[], [[]], [:]]),
        ("{\"a\":{\"b\":[null,true,false]}}", ["a": ["b": [nil, true, false]]]),
    ] as [(String, JSONValue)])
    func parsesDocument(text: String, expected: JSONValue) {
        #expect(parsed(text) == expected)
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONParser.parse("{\"z\":1,\"a\":2,\"m\":3}")
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func objectEqualityIgnoresOrder() throws {
        let first = try JSONParser.parse("{\"a\":1,\"b\":2}")
        let second = try JSONParser.parse("{\"b\":2,\"a\":1}")
        #expect(first == second)
        #expect(first != (try JSONParser.parse("{\"a\":1,\"b\":3}")))
    }

    @Test func parsesFromByteArraysSlicesAndNonContiguousCollections() throws {
        let text = "{\"k\":[1,2]}"
        let expected: JSONValue = ["k": [1, 2]]
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
        #expect(try JSONParser.parse(Array(("xx" + text).utf8).dropFirst(2)) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(text.utf8.reversed().reversed()) == expected)
    }

    @Test func allowsNestingUpToTheLimit() {
        let depth = 64
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(parsed(text) != nil)
    }

    @Test func acceptsDeeplyNestedDocumentWithinRaisedLimit() {
        let text = String(repeating: "{\"a\":", count: 300) + "1" + String(repeating: "}", count: 300)
        var value = parsed(text, maxDepth: 300)
        for _ in 0..<300 { value = value?["a"] }
        #expect(value == 1)
    }
}
