/// Parses `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 section 4).
struct HTTPStatusLine {
    let versionMinor: Int
    let status: Int
    let reason: String

    init(parsing line: UnsafeRawBufferPointer) throws(HTTPHeadError) {
        if line.isEmpty { throw .badRequest("empty status line") }
        guard let space = line.firstIndex(of: HTTPSyntax.space) else {
            throw .badRequest("malformed status line")
        }
        versionMinor = try HTTPVersion.parseMinor(UnsafeRawBufferPointer(rebasing: line[..<space]))

        let rest = UnsafeRawBufferPointer(rebasing: line[(space + 1)...])
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard rest.count >= 3, rest[0] != UInt8(ascii: "0"), rest.prefix(3).allSatisfy(digits.contains),
            rest.count == 3 || rest[3] == HTTPSyntax.space
        else { throw .badRequest("malformed status code") }
        status = rest.prefix(3).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }

        // A missing reason phrase with its separator is accepted: some servers omit both.
        let reason = UnsafeRawBufferPointer(rebasing: rest[min(4, rest.count)...])
        let standard = HTTPStatus.reasonPhrase(status)
        if Self.bytes(reason, equal: standard) {
            // The usual case ("101 Switching Protocols"): the constant, with no string to build and validate.
            self.reason = standard
            return
        }
        guard reason.allSatisfy(HTTPSyntax.isFieldValueChar),
            let text = String(validating: reason, as: UTF8.self)
        else { throw .badRequest("invalid reason phrase") }
        self.reason = text
    }

    private static func bytes(_ bytes: UnsafeRawBufferPointer, equal text: String) -> Bool {
        text.withUTF8Bytes { $0.count == bytes.count && $0.elementsEqual(bytes) }
    }
}
