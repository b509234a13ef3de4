/// Where a route forwards to: a `ws://` or `wss://` URL without user info, query or fragment.
public struct UpstreamURL: Sendable, Hashable, CustomStringConvertible {
    /// True for `wss://` (TLS to the upstream).
    public var secure: Bool
    /// The lower-cased host name or IP literal (IPv6 without brackets).
    public var host: String
    /// The port; 80 for `ws://` and 443 for `wss://` when the URL names none.
    public var port: UInt16
    /// The path, starting with `/`; `/` when the URL has none.
    public var path: String

    /// Creates a URL without checking it; use `init(parsing:)` for user input.
    public init(secure: Bool, host: String, port: UInt16, path: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `ws[s]://host[:port][/path]`.
    public init(parsing text: String) throws(ConfigError) {
        let lowered = HostName.asciiLowercased(text)
        if lowered.hasPrefix("ws://") {
            secure = false
        } else if lowered.hasPrefix("wss://") {
            secure = true
        } else {
            throw Self.invalid(text, "scheme must be ws:// or wss://")
        }
        let rest = text.dropFirst(secure ? 6 : 5)
        if rest.contains("@") { throw Self.invalid(text, "user info is not allowed") }
        if rest.contains("?") { throw Self.invalid(text, "a query is not allowed") }
        if rest.contains("#") { throw Self.invalid(text, "a fragment is not allowed") }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard RequestPath.isValid(path) else { throw Self.invalid(text, "the path has characters that need escaping") }

        let hostPart: Substring
        var portPart: Substring? = nil
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Self.invalid(text, "missing ']'") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.hasPrefix(":") else { throw Self.invalid(text, "unexpected text after ']'") }
                portPart = afterHost.dropFirst()
            }
            guard IPLiteral.isIPv6(hostPart) else { throw Self.invalid(text, "bad IPv6 literal") }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        host = HostName.asciiLowercased(hostPart)
        guard host.contains(":") || HostName.isValidDNSName(host) else { throw Self.invalid(text, "bad host") }
        if let portPart {
            port = try PortNumber.parse(portPart, in: text)
        } else {
            port = secure ? 443 : 80
        }
    }

    /// The `Host` header value: the host (bracketed if IPv6) with `:port` unless it is the scheme's default.
    public var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    /// The URL in canonical form.
    public var description: String { "\(secure ? "wss" : "ws")://\(authority)\(path)" }

    private static func invalid(_ text: String, _ reason: String) -> ConfigError {
        ConfigError(keyPath: "", message: "invalid upstream URL \"\(text)\": \(reason)")
    }
}

/// Syntax of the paths wsgate routes on and forwards.
enum RequestPath {
    /// True for `/` followed by printable ASCII other than space, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`,
    /// `?` and `#` (RFC 3986 path characters, percent-escapes passed through unchecked).
    static func isValid(_ path: String) -> Bool {
        guard path.utf8.first == UInt8(ascii: "/") else { return false }
        return path.utf8.allSatisfy { byte in
            (0x21...0x7E).contains(byte) && !"\"<>\\^`{|}?#".utf8.contains(byte)
        }
    }
}
