/// The parsing state over one input buffer. Containers being filled live on an explicit stack instead of
/// the call stack, so hostile nesting cannot overflow it.
struct JSONReader {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var position = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// A container whose closing bracket has not been read yet.
    private enum OpenContainer {
        case array([JSONValue])
        case object(JSONObject, pendingKey: String)
    }

    mutating func readDocument() throws(JSONParseError) -> JSONValue {
        var open: [OpenContainer] = []
        while true {
            var value: JSONValue
            // Read the next value, or open a container and go round again for its first element.
            skipWhitespace()
            switch try peekRequired("a value") {
            case UInt8(ascii: "["):
                try checkDepth(open.count)
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    open.append(.array([]))
                    continue
                }
            case UInt8(ascii: "{"):
                try checkDepth(open.count)
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    let object = JSONObject()
                    let key = try readMemberKey(in: object)
                    open.append(.object(object, pendingKey: key))
                    continue
                }
            default:
                value = try readScalar()
            }
            // Hand the finished value to its enclosing containers, closing each one that ends here.
            while true {
                guard let container = open.popLast() else {
                    skipWhitespace()
                    guard position == bytes.count else { throw error("unexpected data after the document") }
                    return value
                }
                skipWhitespace()
                let separator = peek()
                switch container {
                case .array(var items):
                    items.append(value)
                    if separator == UInt8(ascii: ",") {
                        position += 1
                        open.append(.array(items))
                    } else if separator == UInt8(ascii: "]") {
                        position += 1
                        value = .array(items)
                        continue
                    } else {
                        throw error("expected ',' or ']' in array")
                    }
                case .object(var object, let key):
                    object.insert(value, forKey: key)
                    if separator == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        let nextKey = try readMemberKey(in: object)
                        open.append(.object(object, pendingKey: nextKey))
                    } else if separator == UInt8(ascii: "}") {
                        position += 1
                        value = .object(object)
                        continue
                    } else {
                        throw error("expected ',' or '}' in object")
                    }
                }
                break
            }
        }
    }

    /// Reads `"key" :` and rejects a key the object already holds.
    private mutating func readMemberKey(in object: JSONObject) throws(JSONParseError) -> String {
        let keyStart = position
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
        let key = try readString()
        if object.contains(key) {
            throw JSONParseError(offset: keyStart, message: "duplicate key \"\(key)\"")
        }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        position += 1
        return key
    }

    private mutating func readScalar() throws(JSONParseError) -> JSONValue {
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("unexpected character \(describe(bytes[position]))")
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws(JSONParseError) {
        let length = word.utf8CodeUnitCount
        let matches = bytes.count - position >= length
            && (0..<length).allSatisfy { bytes[position + $0] == word.utf8Start[$0] }
        guard matches else { throw error("invalid literal, expected \(word)") }
        position += length
    }

    private func checkDepth(_ openCount: Int) throws(JSONParseError) {
        guard openCount < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
    }

    // MARK: Byte access

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    func peekRequired(_ expected: String) throws(JSONParseError) -> UInt8 {
        guard let byte = peek() else { throw error("unexpected end of input, expected \(expected)") }
        return byte
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func error(_ message: String) -> JSONParseError {
        JSONParseError(offset: position, message: message)
    }

    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
