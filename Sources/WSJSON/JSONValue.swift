/// A JSON value as defined by RFC 8259.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// Largest magnitude below which every integer is exactly representable as a `Double` (2^53).
    private static let exactIntegerLimit: Double = 9_007_199_254_740_992

    /// The member named `key` when this is an object holding it, else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` when this is an array long enough, else nil.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The string when this is a string, else nil.
    public var stringValue: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The boolean when this is a boolean, else nil.
    public var boolValue: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The number when this is a number, else nil.
    public var doubleValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// True when this is a number with no fractional part whose magnitude is below 2^53, so no rounding
    /// can have happened while reading it (`1e2` counts, `9007199254740993` does not).
    public var isExactInteger: Bool {
        guard case .number(let value) = self else { return false }
        // Truncating conversion instead of `rounded()`, which would pull in libm; the range check makes it safe.
        return abs(value) < Self.exactIntegerLimit && Double(Int(value)) == value
    }

    /// The number as an `Int` when it is an exact integer (see `isExactInteger`), else nil.
    public var intValue: Int? {
        guard isExactInteger, case .number(let value) = self else { return nil }
        return Int(value)
    }

    /// The elements when this is an array, else nil.
    public var arrayValue: [JSONValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    /// The object when this is an object, else nil.
    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// True when this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type's name ("null", "boolean", "number", "string", "array", "object") for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
