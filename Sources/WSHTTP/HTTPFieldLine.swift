/// Parses one `name: value` line of a head (RFC 9112 section 5).
enum HTTPFieldLine {
    /// The field's name and trimmed value, or the reason the line is malformed.
    static func parse(_ line: UnsafeRawBufferPointer) throws(HTTPHeadError) -> HTTPHeaders.Field {
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

        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, HTTPSyntax.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPSyntax.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
        guard value.allSatisfy(HTTPSyntax.isFieldValueChar) else {
            throw .badRequest("control character in value of \(String(decoding: name, as: UTF8.self))")
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw .badRequest("value of \(String(decoding: name, as: UTF8.self)) is not UTF-8")
        }
        return (name: String(decoding: name, as: UTF8.self), value: text)
    }
}
