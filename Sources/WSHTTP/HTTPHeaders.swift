/// Header fields in the order received, with ASCII case-insensitive lookup by name.
///
/// The fields are kept as bytes (one array holding every name and value, one for where each field lies), so
/// a parsed head costs two allocations and lookups compare bytes; strings are made only for what is asked
/// for. A parsed head keeps its field lines as received, copied in one piece.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
    /// One field as received: the name keeps its original case, the value is trimmed of outer whitespace.
    public typealias Field = (name: String, value: String)

    /// Where one field's name and value lie in `bytes`.
    struct Span {
        let nameStart: Int
        let nameLength: Int
        let valueStart: Int
        let valueLength: Int
    }

    /// The names and values: a parsed head's field lines as received, or each appended name and its value.
    private var bytes: [UInt8] = []
    private var spans: [Span] = []
    /// True while every field came from the parser, which checked names and values as they arrived.
    private(set) var isChecked = true

    /// Creates an empty header list.
    public init() {}

    /// Creates a header list from name/value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { append(name: name, value: value) }
    }

    /// Equal when the same fields are in the same order, however they were made.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                zip(lhs.spans, rhs.spans).allSatisfy { a, b in
                    name(of: a, in: left).elementsEqual(name(of: b, in: right))
                        && value(of: a, in: left).elementsEqual(value(of: b, in: right))
                }
            }
        }
    }

    /// Number of fields, counting repeated names separately.
    public var count: Int { spans.count }

    /// All fields in order.
    public var fields: [Field] {
        bytes.withUnsafeBytes { raw in
            spans.map { span in
                (name: String(decoding: Self.name(of: span, in: raw), as: UTF8.self),
                 value: String(decoding: Self.value(of: span, in: raw), as: UTF8.self))
            }
        }
    }

    /// Appends a field after all existing ones.
    public mutating func append(name: String, value: String) {
        isChecked = false
        let nameLength = name.utf8.count
        spans.append(Span(nameStart: bytes.count, nameLength: nameLength,
                          valueStart: bytes.count + nameLength, valueLength: value.utf8.count))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: value.utf8)
    }

    /// The fields the parser found in `lines` (the field lines of a head, already checked), at `spans`.
    init(lines: UnsafeRawBufferPointer, spans: [Span]) {
        bytes = Array(lines)
        self.spans = spans
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Value of the first field called `name`, if any.
    public func first(_ name: String) -> String? {
        var found: String?
        _ = findValue(named: name) { value in
            found = String(decoding: value, as: UTF8.self)
            return true
        }
        return found
    }

    /// Values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        var found: [String] = []
        _ = findValue(named: name) { value in
            found.append(String(decoding: value, as: UTF8.self))
            return false
        }
        return found
    }

    /// True when at least one field is called `name`.
    public func contains(_ name: String) -> Bool {
        findValue(named: name) { _ in true }
    }

    /// Elements of the comma-separated lists in every field called `name`, trimmed, empty elements dropped.
    ///
    /// Commas inside quoted strings do not split (extension parameters may be quoted).
    public func listElements(_ name: String) -> [String] {
        var elements: [String] = []
        _ = findValue(named: name) { value in
            HTTPSyntax.findListElement(in: value) { element in
                elements.append(String(decoding: element, as: UTF8.self))
                return false
            }
        }
        return elements
    }

    /// True when `token` appears (case-insensitively) in the comma-separated lists of fields called `name`.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        token.withUTF8Bytes { containsToken(name, $0) }
    }

    /// True when exactly one field is called `name` and its value is exactly `value`.
    public func hasSingle(_ name: String, equalTo value: String) -> Bool {
        value.withUTF8Bytes { hasSingle(name, equalTo: $0) }
    }

    /// True when exactly one field is called `name` and its value is `value` byte for byte.
    public func hasSingle(_ name: String, equalTo value: UnsafeRawBufferPointer) -> Bool {
        var matches = 0
        var equal = false
        _ = findValue(named: name) { found in
            matches += 1
            equal = found.elementsEqual(value)
            return matches > 1
        }
        return matches == 1 && equal
    }

    /// `containsToken` for a token given as bytes.
    func containsToken(_ name: String, _ token: UnsafeRawBufferPointer) -> Bool {
        findValue(named: name) { value in
            HTTPSyntax.findListElement(in: value) { HTTPSyntax.equalsIgnoringCase($0, token) }
        }
    }

    /// Calls `body` with the value of each field called `name`, in order, until it returns true; returns
    /// whether it did.
    @inline(__always)
    func findValue(named name: String, where body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        name.withUTF8Bytes { name in
            findField { fieldName, value in HTTPSyntax.equalsIgnoringCase(fieldName, name) && body(value) }
        }
    }

    /// Calls `body` with each field's name and value, in order, until it returns true; returns whether it did.
    @inline(__always)
    func findField(where body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool) -> Bool {
        bytes.withUnsafeBytes { raw in
            for span in spans where body(Self.name(of: span, in: raw), Self.value(of: span, in: raw)) { return true }
            return false
        }
    }

    private static func name(of span: Span, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[span.nameStart..<(span.nameStart + span.nameLength)])
    }

    private static func value(of span: Span, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[span.valueStart..<(span.valueStart + span.valueLength)])
    }
}
