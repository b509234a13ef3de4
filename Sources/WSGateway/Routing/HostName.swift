/// Host name syntax and normalisation shared by configuration and request routing.
public enum HostName {
    /// `text` with ASCII letters lower-cased and everything else untouched (host names compare ASCII-case-insensitively).
    public static func asciiLowercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The host of a `Host` header reduced to the form patterns are compared with: lower-cased, port removed,
    /// IPv6 brackets removed and one trailing dot dropped.
    public static func normalize(_ header: some StringProtocol) -> String {
        let lowered = asciiLowercased(header)
        if lowered.hasPrefix("[") {
            guard let close = lowered.firstIndex(of: "]") else { return lowered }
            return String(lowered[lowered.index(after: lowered.startIndex)..<close])
        }
        var host = Substring(lowered)
        // One colon means host:port; more means an unbracketed IPv6 literal, which has no port to strip.
        if let colon = host.firstIndex(of: ":"), host[host.index(after: colon)...].firstIndex(of: ":") == nil {
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    /// True for a lower-case DNS name or IPv4 literal: dot-separated labels of 1–63 letters, digits, `-` or `_`
    /// (underscores appear in container and service names), not starting or ending with `-`, 253 bytes at most.
    public static func isValidDNSName(_ name: some StringProtocol) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            return label.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
        }
    }
}
