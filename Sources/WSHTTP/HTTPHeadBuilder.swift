/// Serializes a head, refusing anything that could split or inject lines.
struct HTTPHeadBuilder {
    private(set) var bytes: [UInt8] = []

    init(startLine: String) {
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: startLine.utf8)
        appendCRLF()
    }

    /// Appends `name: value`, or nothing when the name is not a token or the value holds CR, LF, NUL or
    /// another control character.
    mutating func appendField(_ name: String, _ value: String) {
        guard HTTPHeadBuilder.isSafeField(name, value) else { return }
        bytes.append(contentsOf: name.utf8)
        bytes.append(HTTPSyntax.colon)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: value.utf8)
        appendCRLF()
    }

    /// Ends the head with the empty line and returns it.
    consuming func finish() -> [UInt8] {
        appendCRLF()
        return bytes
    }

    static func isSafeField(_ name: String, _ value: String) -> Bool {
        HTTPSyntax.isToken(name.utf8) && value.utf8.allSatisfy(HTTPSyntax.isFieldValueChar)
    }

    private mutating func appendCRLF() {
        bytes.append(HTTPSyntax.cr)
        bytes.append(HTTPSyntax.lf)
    }
}
