/// Which request hosts a route accepts: one exact name, or every subdomain of a suffix (`*.example.com`).
public enum HostPattern: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this lower-cased host (IPv6 literals without brackets).
    case exact(String)
    /// Any host ending in `.` + suffix with at least one more label; `example.com` for `*.example.com`.
    case wildcard(suffix: String)

    /// Parses a host name, IP literal (IPv6 in brackets) or `*.suffix`, lower-casing it.
    public init(parsing text: String) throws(ConfigError) {
        let lowered = HostName.asciiLowercased(text)
        if lowered.hasPrefix("*.") {
            let suffix = String(lowered.dropFirst(2))
            guard HostName.isValidDNSName(suffix) else { throw Self.invalid(text) }
            self = .wildcard(suffix: suffix)
        } else if lowered.hasPrefix("["), lowered.hasSuffix("]") {
            let literal = lowered.dropFirst().dropLast()
            guard IPLiteral.isIPv6(literal) else { throw Self.invalid(text) }
            self = .exact(String(literal))
        } else {
            guard HostName.isValidDNSName(lowered) else { throw Self.invalid(text) }
            self = .exact(lowered)
        }
    }

    /// Whether `host`, already normalised by `HostName.normalize`, is accepted.
    public func matches(normalizedHost host: String) -> Bool {
        switch self {
        case .exact(let name):
            return host == name
        case .wildcard(let suffix):
            let hostBytes = host.utf8
            let suffixBytes = suffix.utf8
            guard hostBytes.count > suffixBytes.count + 1 else { return false }
            let tail = hostBytes.suffix(suffixBytes.count + 1)
            return tail.first == UInt8(ascii: ".") && tail.dropFirst().elementsEqual(suffixBytes)
        }
    }

    /// The pattern as written in configuration.
    public var description: String {
        switch self {
        case .exact(let name): name.contains(":") ? "[\(name)]" : name
        case .wildcard(let suffix): "*.\(suffix)"
        }
    }

    private static func invalid(_ text: String) -> ConfigError {
        ConfigError(keyPath: "", message: "invalid host pattern \"\(text)\": expected a host name, IP literal or *.suffix")
    }
}
