/// A fixed set of field names, tested case-insensitively against received names without making strings.
///
/// Built once (the hop-by-hop names an upstream request leaves out): the names are kept lower-cased in one
/// byte array, and a bit per name length rejects most received names before a byte is compared.
public struct HTTPFieldNameSet: Sendable, ExpressibleByArrayLiteral {
    private var bytes: [UInt8] = []
    private var spans: [Range<Int>] = []
    /// Bit n is set when a name of n bytes is in the set (bit 63: 63 bytes or more).
    private var lengths: UInt64 = 0

    public init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    /// This set and `names` together.
    public func union(_ names: some Sequence<String>) -> HTTPFieldNameSet {
        var set = self
        for name in names { set.insert(name) }
        return set
    }

    private mutating func insert(_ name: String) {
        let start = bytes.count
        bytes.append(contentsOf: name.utf8.map(HTTPSyntax.asciiLower))
        spans.append(start..<bytes.count)
        lengths |= Self.lengthBit(bytes.count - start)
    }

    /// True when `name` equals a name of the set, ignoring ASCII case.
    func contains(_ name: UnsafeRawBufferPointer) -> Bool {
        guard lengths & Self.lengthBit(name.count) != 0 else { return false }
        return bytes.withUnsafeBytes { raw in
            spans.contains { span in
                span.count == name.count
                    && HTTPSyntax.equalsIgnoringCase(name, UnsafeRawBufferPointer(rebasing: raw[span]))
            }
        }
    }

    private static func lengthBit(_ length: Int) -> UInt64 {
        1 << UInt64(min(length, 63))
    }
}
