import WSJSON

/// Typed, located access to one JSON object of a configuration file. Construction rejects unknown keys, so
/// every object is checked against its schema before any field is read.
struct ConfigObject {
    let members: JSONObject
    let keyPath: String

    init(_ value: JSONValue, at keyPath: String, allowedKeys: [String]) throws(ConfigError) {
        guard case .object(let members) = value else {
            throw ConfigError(keyPath: keyPath, message: "expected an object, found \(value.kindName)")
        }
        for key in members.keys where !allowedKeys.contains(key) {
            throw ConfigError(
                keyPath: Self.join(keyPath, key),
                message: "unknown key (allowed: \(allowedKeys.joined(separator: ", ")))")
        }
        self.members = members
        self.keyPath = keyPath
    }

    static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    static func element(_ parent: String, _ index: Int) -> String { "\(parent)[\(index)]" }

    func path(_ key: String) -> String { Self.join(keyPath, key) }

    func required(_ key: String) throws(ConfigError) -> JSONValue {
        guard let value = members[key] else { throw ConfigError(keyPath: path(key), message: "missing required key") }
        return value
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        try members[key].map { value throws(ConfigError) in try expectString(value, at: path(key)) }
    }

    func requiredString(_ key: String) throws(ConfigError) -> String {
        try expectString(try required(key), at: path(key))
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = members[key] else { return nil }
        guard let flag = value.boolValue else { throw wrongType(value, expected: "a boolean", at: path(key)) }
        return flag
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = members[key] else { return nil }
        guard case .number = value else { throw wrongType(value, expected: "an integer", at: path(key)) }
        guard let integer = value.intValue else {
            throw ConfigError(keyPath: path(key), message: "must be a whole number")
        }
        guard range.contains(integer) else {
            throw ConfigError(
                keyPath: path(key), message: "must be between \(range.lowerBound) and \(range.upperBound), got \(integer)")
        }
        return integer
    }

    /// A duration in seconds converted to whole milliseconds; `allowZero` says whether 0 (disabled) is allowed.
    func milliseconds(_ key: String, allowZero: Bool) throws(ConfigError) -> Int? {
        guard let value = members[key] else { return nil }
        guard let seconds = value.doubleValue else { throw wrongType(value, expected: "a number of seconds", at: path(key)) }
        guard seconds >= 0 else { throw ConfigError(keyPath: path(key), message: "must not be negative") }
        guard seconds <= Self.maximumSeconds else {
            throw ConfigError(keyPath: path(key), message: "must be at most \(Int(Self.maximumSeconds)) seconds (one year)")
        }
        // Adding 0.5 and truncating rounds to nearest without needing libm.
        let milliseconds = Int(seconds * 1000 + 0.5)
        if milliseconds == 0 && !(allowZero && seconds == 0) {
            let requirement = allowZero ? "must be 0 (disabled) or at least 0.001" : "must be at least 0.001"
            throw ConfigError(keyPath: path(key), message: requirement)
        }
        return milliseconds
    }

    func array(_ key: String) throws(ConfigError) -> [JSONValue]? {
        guard let value = members[key] else { return nil }
        guard let items = value.arrayValue else { throw wrongType(value, expected: "an array", at: path(key)) }
        return items
    }

    func nonEmptyArray(_ key: String) throws(ConfigError) -> [JSONValue] {
        guard let items = try array(key) else { throw ConfigError(keyPath: path(key), message: "missing required key") }
        guard !items.isEmpty else { throw ConfigError(keyPath: path(key), message: "must not be empty") }
        return items
    }

    /// One year: long enough for any real timeout, short enough that milliseconds never overflow.
    static let maximumSeconds: Double = 31_536_000
}

func expectString(_ value: JSONValue, at keyPath: String) throws(ConfigError) -> String {
    guard let text = value.stringValue else { throw wrongType(value, expected: "a string", at: keyPath) }
    return text
}

func wrongType(_ value: JSONValue, expected: String, at keyPath: String) -> ConfigError {
    ConfigError(keyPath: keyPath, message: "expected \(expected), found \(value.kindName)")
}
