/// Header fields in the order received, with ASCII case-insensitive lookup by name.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
    /// One field as received: the name keeps its original case, the value is trimmed of outer whitespace.
    public typealias Field = (name: String, value: String)

    /// All fields in order.
    public private(set) var fields: [Field]

    /// Creates an empty header list.
    public init() {
        fields = []
    }

    /// Creates a header list from name/value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Number of fields, counting repeated names separately.
    public var count: Int { fields.count }

    /// Appends a field after all existing ones.
    public mutating func append(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Value of the first field called `name`, if any.
    public func first(_ name: String) -> String? {
        fields.first { HTTPSyntax.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { HTTPSyntax.equalsIgnoringCase($0.name, name) ? $0.value : nil }
    }

    /// True when at least one field is called `name`.
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPSyntax.equalsIgnoringCase($0.name, name) }
    }

    /// Elements of the comma-separated lists in every field called `name`, trimmed, empty elements dropped.
    ///
    /// Commas inside quoted strings do not split (extension parameters may be quoted).
    public func listElements(_ name: String) -> [String] {
        var elements: [String] = []
        for value in values(name) {
            HTTPHeaders.splitList(value) { elements.append(String($0)) }
        }
        return elements
    }

    /// True when `token` appears (case-insensitively) in the comma-separated lists of fields called `name`.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        for value in values(name) {
            var found = false
            HTTPHeaders.splitList(value) { element in
                if !found && HTTPSyntax.equalsIgnoringCase(element, token) { found = true }
            }
            if found { return true }
        }
        return false
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    private static func splitList(_ value: String, _ body: (Substring) -> Void) {
        var elementStart = value.startIndex
        var inQuotes = false
        var escaped = false
        var index = value.startIndex
        while index < value.endIndex {
            let character = value[index]
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == "," && !inQuotes {
                emit(value[elementStart..<index], body)
                elementStart = value.index(after: index)
            }
            index = value.index(after: index)
        }
        emit(value[elementStart...], body)
    }

    private static func emit(_ raw: Substring, _ body: (Substring) -> Void) {
        let element = HTTPSyntax.trimmingWhitespace(raw)
        if !element.isEmpty { body(element) }
    }
}
