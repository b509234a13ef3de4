/// Parses one `name: value` line of a head (RFC 9112 section 5).
enum HTTPFieldLine {
    /// The field's name and trimmed value (views into `line`), or the reason the line is malformed.
    static func parse(
        _ line: UnsafeRawBufferPointer
    ) throws(HTTPHeadError) -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        guard let first = line.first else { throw .badRequest("empty header line") }
        if HTTPSyntax.isWhitespace(first) { throw .badRequest("obsolete line folding in header") }
        // One pass finds the colon and checks the name; a line it stops early on is diagnosed below.
        var colon = 0
        while colon < line.count, HTTPSyntax.isTokenChar(line[colon]) { colon += 1 }
        guard colon > 0, colon < line.count, line[colon] == HTTPSyntax.colon else { throw malformedName(line) }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])

        let value = HTTPSyntax.trimmingWhitespace(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
        let check = HTTPSyntax.checkFieldValue(value)
        if check == .invalid {
            throw .badRequest("control character in value of \(String(decoding: name, as: UTF8.self))")
        }
        if check == .nonASCII && String(validating: value, as: UTF8.self) == nil {
            throw .badRequest("value of \(String(decoding: name, as: UTF8.self)) is not UTF-8")
        }
        return (name, value)
    }

    /// Why a line's name is not a token directly followed by a colon.
    private static func malformedName(_ line: UnsafeRawBufferPointer) -> HTTPHeadError {
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else { return .badRequest("header line without colon") }
        if colon > 0 && HTTPSyntax.isWhitespace(line[colon - 1]) {
            return .badRequest("whitespace between header name and colon")
        }
        return .badRequest("invalid header name")
    }
}
