import FuzzSupport
import WSJSON

/// Parses one input as a JSON document. Invalid UTF-8 must be refused; an accepted document must respect
/// the depth limit, and written back out canonically it must parse to an equal value (which catches lost
/// or invented characters in string escapes and numbers that do not survive).
enum JSONFuzzing {
    static let maxDepth = 16

    static func run(_ input: UnsafeRawBufferPointer) {
        let parsed: JSONValue
        do throws(JSONParseError) {
            parsed = try JSONParser.parse(input, maxDepth: maxDepth)
        } catch {
            fuzzCheck(error.offset >= 0 && error.offset <= input.count, "error offset \(error.offset) of \(input.count)")
            return
        }
        fuzzCheck(String(validating: input, as: UTF8.self) != nil, "accepted invalid UTF-8")
        fuzzCheck(depth(of: parsed) <= maxDepth, "depth \(depth(of: parsed)) over the limit \(maxDepth)")
        let written = CanonicalJSON.write(parsed)
        let reparsed = Result { () throws(JSONParseError) in try JSONParser.parse(written, maxDepth: maxDepth) }
        fuzzCheck(reparsed == .success(parsed), "written back as \(written), read as \(reparsed)")
    }

    /// Nesting depth: a scalar is 0, `[]` is 1.
    static func depth(of value: JSONValue) -> Int {
        switch value {
        case .array(let items): 1 + (items.map(depth).max() ?? 0)
        case .object(let object): 1 + (object.members.map { depth(of: $0.value) }.max() ?? 0)
        default: 0
        }
    }
}

/// A plain JSON writer for the round trip: strings escaped minimally, numbers in Swift's shortest
/// round-tripping form.
enum CanonicalJSON {
    static func write(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += "\(number)"
        case .string(let text): appendString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                append(item, to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { out += "," }
                appendString(member.key, to: &out)
                out += ":"
                append(member.value, to: &out)
            }
            out += "}"
        }
    }

    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
