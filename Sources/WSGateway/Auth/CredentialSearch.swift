import WSHTTP

/// The credentials an upgrade request carries, looked for in the configured sources.
struct CredentialSearch {
    /// The token of the first source (in configured order) that has one; nil when none has.
    private(set) var token: [UInt8]?
    /// Where `token` came from.
    private(set) var tokenSource: TokenSource?
    /// True when the first source with a credential holds something unusable (empty, broken escape,
    /// given twice), which is refused rather than skipped so a gateway and an upstream never disagree
    /// about which of two tokens counts.
    private(set) var malformed = false
    /// Every source that holds a credential, used or not: all of them are stripped before forwarding.
    private(set) var presentSources: Set<TokenSource> = []
    /// The offered subprotocol that carried a token, if any.
    private(set) var subprotocolEntry: String?

    /// Looks for credentials in `request` and the offered `subprotocols`.
    init(request: HTTPRequestHead, subprotocols: [String], config: AuthConfig) {
        for source in config.sources {
            let found: Found
            switch source {
            case .header: found = Self.bearerToken(request.headers.values("Authorization"))
            case .query: found = Self.single(QueryString.values(of: config.queryParameter, in: request.target))
            case .cookie: found = Self.cookie(config.cookieName, request.headers.values("Cookie"))
            case .subprotocol:
                let entries = subprotocols.filter { $0.hasPrefix(config.subprotocolPrefix) }
                subprotocolEntry = entries.first
                found = Self.single(entries.map { Array($0.utf8.dropFirst(config.subprotocolPrefix.utf8.count)) })
            }
            record(found, from: source)
        }
    }

    /// A source's verdict.
    private enum Found {
        case absent
        case unusable
        case token([UInt8])
    }

    private mutating func record(_ found: Found, from source: TokenSource) {
        if case .absent = found { return }
        presentSources.insert(source)
        guard tokenSource == nil else { return }
        tokenSource = source
        switch found {
        case .token(let bytes): token = bytes
        case .unusable, .absent: malformed = true
        }
    }

    /// Exactly one non-empty value; several are ambiguous.
    private static func single(_ values: [[UInt8]?]) -> Found {
        guard let first = values.first else { return .absent }
        guard values.count == 1, let token = first, !token.isEmpty else { return .unusable }
        return .token(token)
    }

    /// `Authorization: Bearer <b64token>` (RFC 6750 section 2.1), the scheme matched case-insensitively.
    /// Other schemes are not ours and are left alone.
    private static func bearerToken(_ values: [String]) -> Found {
        let bearer = values.compactMap { value -> Substring? in
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let scheme = parts.first, scheme.lowercased() == "bearer" else { return nil }
            return parts.count == 2 ? parts[1].drop(while: { $0 == " " }) : value[value.endIndex...]
        }
        guard let first = bearer.first else { return .absent }
        guard bearer.count == 1, isB64Token(first.utf8) else { return .unusable }
        return .token(Array(first.utf8))
    }

    /// Browsers send one cookie per path when names repeat, most specific first, so the first counts.
    private static func cookie(_ name: String, _ headerValues: [String]) -> Found {
        guard let first = CookieHeader.values(of: name, in: headerValues).first else { return .absent }
        return first.isEmpty ? .unusable : .token(Array(first.utf8))
    }

    /// RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    private static func isB64Token(_ text: Substring.UTF8View) -> Bool {
        let body = text.prefix { $0 != UInt8(ascii: "=") }
        guard !body.isEmpty, text.dropFirst(body.count).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return false }
        return body.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~+/".utf8.contains(byte)
        }
    }
}
