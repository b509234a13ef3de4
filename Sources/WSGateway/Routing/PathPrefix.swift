/// Path-prefix matching and upstream path construction. Paths are compared byte for byte, without
/// percent-decoding, so the gateway and the upstream see the same string.
enum PathPrefix {
    /// Splits a request target at its first `?` into path and query (query nil when there is no `?`).
    static func splitQuery(_ target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// A prefix ending in `/` matches any path starting with it; any other prefix matches the same path or
    /// the prefix followed by `/`, so `/echo` takes `/echo` and `/echo/x` but not `/echoes`.
    static func matches(_ prefix: String, path: Substring) -> Bool {
        let prefixBytes = prefix.utf8
        let pathBytes = path.utf8
        guard pathBytes.starts(with: prefixBytes) else { return false }
        if prefixBytes.last == UInt8(ascii: "/") || pathBytes.count == prefixBytes.count { return true }
        return pathBytes[pathBytes.index(pathBytes.startIndex, offsetBy: prefixBytes.count)] == UInt8(ascii: "/")
    }

    /// `path` with `prefix` removed, always starting with `/` (`/echo/x` → `/x`, `/echo` → `/`).
    static func strip(_ prefix: String, from path: Substring) -> Substring {
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        if rest.isEmpty { return "/" }
        // A prefix ending in "/" consumed the separator, so put it back.
        return rest.first == UInt8(ascii: "/") ? Substring(rest) : "/" + Substring(rest)
    }

    /// `base` and `path` (which starts with `/`) joined with exactly one `/` between them.
    static func join(_ base: String, _ path: Substring) -> String {
        base.hasSuffix("/") ? base + path.dropFirst() : base + path
    }
}
