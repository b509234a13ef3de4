import Testing
import WSJSON

@Suite struct JSONAccessorTests {
    let document: JSONValue = [
        "name": "gate", "on": true, "ratio": 0.5, "count": 3, "items": ["x", nil], "nested": ["k": "v"],
    ]

    @Test func typedAccessorsReturnMatchingCases() {
        #expect(document["name"]?.stringValue == "gate")
        #expect(document["on"]?.boolValue == true)
        #expect(document["ratio"]?.doubleValue == 0.5)
        #expect(document["count"]?.intValue == 3)
        #expect(document["items"]?.arrayValue?.count == 2)
        #expect(document["items"]?[1]?.isNull == true)
        #expect(document["nested"]?["k"]?.stringValue == "v")
        #expect(document["nested"]?.objectValue?.keys == ["k"])
    }

    @Test func accessorsReturnNilForOtherCases() {
        #expect(document["missing"] == nil)
        #expect(document["name"]?.intValue == nil)
        #expect(document["count"]?.stringValue == nil)
        #expect(document["ratio"]?.intValue == nil)
        #expect(document["on"]?.doubleValue == nil)
        #expect(document["items"]?[2] == nil)
        #expect(document["items"]?[-1] == nil)
        #expect(document["name"]?["k"] == nil)
        #expect(document[0] == nil)
        #expect(document.arrayValue == nil)
        #expect(document["name"]?.objectValue == nil)
        #expect(document["name"]?.isNull == false)
    }

    @Test func namesKinds() {
        let kinds: [JSONValue] = [nil, true, 1, "s", [], [:]]
        #expect(kinds.map(\.kindName) == ["null", "boolean", "number", "string", "array", "object"])
    }

    @Test func objectInsertRefusesDuplicates() {
        var object = JSONObject()
        let first = object.insert(1, forKey: "a")
        let second = object.insert(2, forKey: "a")
        #expect(first)
        #expect(!second)
        #expect(object["a"] == 1)
        #expect(object.count == 1)
        #expect(object.contains("a"))
        #expect(!object.isEmpty)
    }

    @Test func errorDescriptionNamesOffset() {
        #expect(JSONParseError(offset: 3, message: "bad").description == "bad at byte 3")
    }
}
