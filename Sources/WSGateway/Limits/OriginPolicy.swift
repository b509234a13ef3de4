/// Which browser origins may open connections on a route (`allowed_origins`). Patterns are
/// `scheme://host[:port]`, or `scheme://*.domain[:port]` for every subdomain of `domain`; scheme and host
/// compare case-insensitively and a default port (80 for http/ws, 443 for https/wss) may be left out on
/// either side. A request without an `Origin` header (or with `null`) is refused.
public struct OriginPolicy: Sendable, Hashable {
    let patterns: [OriginPattern]

    /// Parses every pattern; an error's key path is the index of the bad one (`[2]`).
    public init(allowing patterns: [String]) throws(ConfigError) {
        var parsed: [OriginPattern] = []
        for (index, text) in patterns.enumerated() {
            do throws(ConfigError) {
                parsed.append(try OriginPattern(parsing: text))
            } catch {
                throw error.located(at: "[\(index)]")
            }
        }
        self.patterns = parsed
    }

    init(patterns: [OriginPattern]) {
        self.patterns = patterns
    }

    /// Whether a request with this `Origin` header value (nil when absent) may proceed.
    public func allows(_ origin: String?) -> Bool {
        guard let origin, let parsed = Origin(parsing: origin) else { return false }
        return patterns.contains { $0.matches(parsed) }
    }
}

/// A serialised origin as browsers send it: lower-cased scheme and host, and the port made explicit.
struct Origin: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: UInt16

    /// Parses `scheme://host[:port]`; nil for anything else, including `null` and origins with a path.
    init?(parsing text: String) {
        guard let parts = try? OriginPattern.split(text, allowWildcard: false), !parts.wildcard else { return nil }
        scheme = parts.scheme
        host = parts.host
        port = parts.port
    }
}

/// One entry of `allowed_origins`.
struct OriginPattern: Hashable, Sendable {
    var scheme: String
    /// The exact host, or for a wildcard the domain whose subdomains match.
    var host: String
    var wildcard: Bool
    var port: UInt16

    init(parsing text: String) throws(ConfigError) {
        let parts = try Self.split(text, allowWildcard: true)
        scheme = parts.scheme
        host = parts.host
        wildcard = parts.wildcard
        port = parts.port
    }

    func matches(_ origin: Origin) -> Bool {
        guard origin.scheme == scheme, origin.port == port else { return false }
        guard wildcard else { return origin.host == host }
        return HostPattern.wildcard(suffix: host).matches(normalizedHost: origin.host)
    }

    /// Splits `scheme://host[:port]` into lower-cased parts with the default port filled in.
    static func split(
        _ text: String, allowWildcard: Bool
    ) throws(ConfigError) -> (scheme: String, host: String, wildcard: Bool, port: UInt16) {
        let lowered = HostName.asciiLowercased(text)
        guard let separator = lowered.firstRange(of: "://") else { throw invalid(text, "expected scheme://host[:port]") }
        let scheme = String(lowered[..<separator.lowerBound])
        guard let first = scheme.utf8.first, (0x61...0x7A).contains(first),
            scheme.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || "+-.".utf8.contains($0) })
        else { throw invalid(text, "bad scheme") }
        var authority = lowered[separator.upperBound...]
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("#"), !authority.contains("@")
        else { throw invalid(text, "an origin has no path, query or user info") }
        var explicitPort: UInt16? = nil
        let portColon = authority.hasPrefix("[") ? authority.lastIndex(of: "]").flatMap { close in
            authority[close...].firstIndex(of: ":")
        } : authority.lastIndex(of: ":")
        if let portColon {
            explicitPort = try PortNumber.parse(authority[authority.index(after: portColon)...], in: text)
            authority = authority[..<portColon]
        }
        let wildcard = authority.hasPrefix("*.")
        if wildcard {
            guard allowWildcard else { throw invalid(text, "a wildcard is only allowed in patterns") }
            authority = authority.dropFirst(2)
        }
        let host: String
        if authority.hasPrefix("[") && authority.hasSuffix("]") && !wildcard {
            let literal = authority.dropFirst().dropLast()
            guard IPLiteral.isIPv6(literal) else { throw invalid(text, "bad IPv6 literal") }
            host = String(literal)
        } else {
            guard HostName.isValidDNSName(authority) else { throw invalid(text, "bad host") }
            host = String(authority)
        }
        guard let port = explicitPort ?? defaultPorts[scheme] else {
            throw invalid(text, "a port is needed for scheme \(scheme)")
        }
        return (scheme, host, wildcard, port)
    }

    private static let defaultPorts: [String: UInt16] = ["http": 80, "https": 443, "ws": 80, "wss": 443]

    private static func invalid(_ text: String, _ reason: String) -> ConfigError {
        ConfigError(keyPath: "", message: "invalid origin \"\(text)\": \(reason)")
    }
}
