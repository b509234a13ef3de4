/// A parsed request line and its header fields.
public struct HTTPRequestHead: Sendable, Equatable {
    /// Request method, case-sensitive (e.g. "GET").
    public var method: String
    /// Raw request-target in origin-form, e.g. "/chat?room=1".
    public var target: String
    /// Minor HTTP version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var versionMinor: Int
    /// Header fields in received order.
    public var headers: HTTPHeaders

    /// Creates a request head.
    public init(method: String, target: String, versionMinor: Int = 1, headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.versionMinor = versionMinor
        self.headers = headers
    }

    /// The target up to (not including) the first "?".
    public var path: String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        return String(target[..<mark])
    }

    /// The target after the first "?", or nil when there is no "?".
    public var query: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: mark)...])
    }
}

/// A parsed status line and its header fields.
public struct HTTPResponseHead: Sendable, Equatable {
    /// Minor HTTP version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var versionMinor: Int
    /// Three-digit status code.
    public var status: Int
    /// Reason phrase as sent (may be empty).
    public var reason: String
    /// Header fields in received order.
    public var headers: HTTPHeaders

    /// Creates a response head.
    public init(versionMinor: Int = 1, status: Int, reason: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.versionMinor = versionMinor
        self.status = status
        self.reason = reason
        self.headers = headers
    }
}
