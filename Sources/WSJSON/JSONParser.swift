/// Strict RFC 8259 JSON parsing: no comments, trailing commas, duplicate keys, lone surrogates, raw control
/// characters, invalid UTF-8, byte-order marks or trailing data. Safe on untrusted input: the reader is
/// iterative, so nesting costs heap, not stack, and is bounded by `maxDepth`.
public enum JSONParser {
    /// Default nesting limit for arrays and objects.
    public static let defaultMaxDepth = 64

    /// Hard ceiling on `maxDepth`: dropping a parsed value releases nested containers recursively, so
    /// unbounded nesting could still exhaust a thread's stack after parsing succeeds.
    public static let depthCeiling = 512

    /// Parses one JSON document from `bytes`, allowing at most `maxDepth` nested arrays/objects
    /// (capped at `depthCeiling`).
    public static func parse(
        _ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            result(of: UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
        }
        let outcome = contiguous ?? Array(bytes).withUnsafeBytes { result(of: $0, maxDepth: maxDepth) }
        return try outcome.get()
    }

    /// Parses one JSON document from the UTF-8 of `text`.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { result(of: UnsafeRawBufferPointer($0), maxDepth: maxDepth) }.get()
    }

    /// Parses one JSON document from raw memory.
    public static func parse(
        _ buffer: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        try result(of: buffer, maxDepth: maxDepth).get()
    }

    /// The parse as a `Result`, because the standard library's buffer accessors take untyped-throwing closures.
    private static func result(
        of buffer: UnsafeRawBufferPointer, maxDepth: Int
    ) -> Result<JSONValue, JSONParseError> {
        var reader = JSONReader(bytes: buffer, maxDepth: min(max(maxDepth, 0), depthCeiling))
        do throws(JSONParseError) {
            return .success(try reader.readDocument())
        } catch {
            return .failure(error)
        }
    }
}
