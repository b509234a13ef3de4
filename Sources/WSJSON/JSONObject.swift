/// A JSON object that keeps its members in document order and holds each key at most once.
public struct JSONObject: Sendable {
    /// One member of an object.
    public struct Member: Sendable, Equatable {
        /// The member's name.
        public let key: String
        /// The member's value.
        public let value: JSONValue
    }

    /// The members in the order they were inserted.
    public private(set) var members: [Member] = []
    private var indexByKey: [String: Int] = [:]

    /// An empty object.
    public init() {}

    /// The number of members.
    public var count: Int { members.count }

    /// True when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// The value of the member named `key`, if present.
    public subscript(key: String) -> JSONValue? {
        guard let index = indexByKey[key] else { return nil }
        return members[index].value
    }

    /// True when a member named `key` exists.
    public func contains(_ key: String) -> Bool { indexByKey[key] != nil }

    /// Appends a member; returns false and changes nothing when `key` is already present.
    @discardableResult
    public mutating func insert(_ value: JSONValue, forKey key: String) -> Bool {
        guard indexByKey[key] == nil else { return false }
        indexByKey[key] = members.count
        members.append(Member(key: key, value: value))
        return true
    }
}

extension JSONObject: Equatable {
    /// Objects are equal when they hold the same keys with equal values; member order does not matter,
    /// as in JSON itself.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object in literal order; a repeated key traps, as it does for `Dictionary`.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(dictionaryLiteral: elements)
    }

    init(dictionaryLiteral elements: [(String, JSONValue)]) {
        self.init()
        for (key, value) in elements {
            precondition(insert(value, forKey: key), "duplicate key \(key) in JSON object literal")
        }
    }
}
