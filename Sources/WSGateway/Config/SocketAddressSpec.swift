import Glibc

/// A local address to listen on: an IPv4 literal, an IPv6 literal or `localhost`, with a port.
public struct SocketAddressSpec: Sendable, Hashable, CustomStringConvertible {
    /// The IPv4 literal, the IPv6 literal without brackets, or `localhost`.
    public var host: String
    /// The TCP port, 1–65535.
    public var port: UInt16

    /// Creates an address without checking it; use `init(parsing:)` for user input.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `a.b.c.d:port`, `[v6]:port` or `localhost:port`.
    public init(parsing text: String) throws(ConfigError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Self.invalid(text, "missing ']'") }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw Self.invalid(text, "missing ':port'") }
            portPart = rest.dropFirst()
            guard IPLiteral.isIPv6(hostPart) else { throw Self.invalid(text, "bad IPv6 literal") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw Self.invalid(text, "missing ':port'") }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            guard hostPart == "localhost" || IPLiteral.isIPv4(hostPart) else {
                throw Self.invalid(text, "host must be an IPv4 literal, a bracketed IPv6 literal or localhost")
            }
        }
        host = String(hostPart)
        port = try PortNumber.parse(portPart, in: text)
    }

    /// True when `host` is an IPv6 literal.
    public var isIPv6: Bool { host.contains(":") }

    /// `host:port`, with the host bracketed when it is IPv6.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func invalid(_ text: String, _ reason: String) -> ConfigError {
        ConfigError(keyPath: "", message: "invalid address \"\(text)\": \(reason)")
    }
}

/// Strict IP literal checks through `inet_pton`, which rejects leading zeros and shorthand forms.
enum IPLiteral {
    static func isIPv4(_ text: Substring) -> Bool { parses(text, family: AF_INET) }

    static func isIPv6(_ text: Substring) -> Bool { parses(text, family: AF_INET6) }

    private static func parses(_ text: Substring, family: Int32) -> Bool {
        var storage = in6_addr()
        return String(text).withCString { inet_pton(family, $0, &storage) } == 1
    }
}

/// Port number syntax shared by listen addresses and upstream URLs.
enum PortNumber {
    /// Parses 1–65535 written as plain decimal digits.
    static func parse(_ digits: Substring, in text: String) throws(ConfigError) -> UInt16 {
        guard !digits.isEmpty, digits.utf8.count <= 5, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int(digits), (1...65535).contains(value)
        else {
            throw ConfigError(keyPath: "", message: "invalid port in \"\(text)\": must be a number from 1 to 65535")
        }
        return UInt16(value)
    }
}
