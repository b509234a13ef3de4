/// Checks values the gateway puts into upstream headers on a client's behalf (identities, claims).
enum HeaderValue {
    /// Longest identity or claim value forwarded; larger ones are refused rather than truncated.
    static let maximumLength = 1024

    /// True when `value` is non-empty, at most `maximumLength` bytes, has no control characters (so it
    /// cannot end the header line or inject another one) and no outer whitespace (which parsers trim).
    static func isSafe(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, let last = bytes.last, bytes.count <= maximumLength else { return false }
        guard first != UInt8(ascii: " "), last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
    }
}
