/// Parses one `name: value` line of a head (RFC 9112 section 5).
enum HTTPFieldLine {
    /// The field's name and trimmed value (views into `line`), or the reason the line is malformed.
    static func parse(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPHeadError) -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard let first = line.first else { throw .badRequest("empty header line") }
        if HTTPSyntax.isWhitespace(first) { throw .badRequest("obsolete line folding in header") }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else {
            throw .badRequest("header line without colon")
        }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        if let last = name.last, HTTPSyntax.isWhitespace(last) {
            throw .badRequest("whitespace between header name and colon")
        }
        guard HTTPSyntax.isToken(name) else { throw .badRequest("invalid header name") }

        let value = HTTPSyntax.trimmingWhitespace(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
        var nonASCII: UInt8 = 0
        for byte in value {
            guard HTTPSyntax.isFieldValueChar(byte) else {
                throw .badRequest("control character in value of \(String(decoding: name, as: UTF8.self))")
            }
            nonASCII |= byte & 0x80
        }
        // Only values with bytes above ASCII need the full UTF-8 check.
        if nonASCII != 0 && String(validating: value, as: UTF8.self) == nil {
            throw .badRequest("value of \(String(decoding: name, as: UTF8.self)) is not UTF-8")
        }
        return (name, value)
    }
}
