/// Character classes of RFC 9110 / RFC 9112 used by the parsers and writers.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    /// RFC 9110 `tchar`.
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Optional whitespace (SP or HTAB).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// Bytes allowed inside a field value or reason phrase: HTAB, SP, VCHAR and obs-text.
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Visible ASCII (VCHAR), the only bytes allowed in a request-target.
    static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    static func isToken<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var empty = true
        for byte in bytes {
            guard isTokenChar(byte) else { return false }
            empty = false
        }
        return !empty
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// ASCII case-insensitive equality; field names and tokens are ASCII.
    static func equalsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        a.utf8.elementsEqual(b.utf8) { asciiLower($0) == asciiLower($1) }
    }

    /// `text` without leading and trailing SP/HTAB.
    static func trimmingWhitespace(_ text: Substring) -> Substring {
        var utf8 = text.utf8[...]
        while let first = utf8.first, isWhitespace(first) { utf8 = utf8.dropFirst() }
        while let last = utf8.last, isWhitespace(last) { utf8 = utf8.dropLast() }
        return Substring(utf8)
    }
}

/// Checks for RFC 9110 tokens (method names, field names, subprotocols, Connection options).
public enum HTTPToken {
    /// True when `text` is a non-empty run of RFC 9110 `tchar`s.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        HTTPSyntax.isToken(text.utf8)
    }
}
