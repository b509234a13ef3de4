import WSHTTP

/// An upstream's accepted upgrade.
public struct UpstreamUpgrade: Sendable {
    /// The subprotocol the upstream chose, if any (one the client offered).
    public let subprotocol: String?
    /// The upstream's response head.
    public let head: HTTPResponseHead

    /// Creates an accepted upgrade.
    public init(subprotocol: String?, head: HTTPResponseHead) {
        self.subprotocol = subprotocol
        self.head = head
    }
}

/// Why an upstream's answer to the upgrade request is unusable.
public struct UpstreamHandshakeError: Error, Sendable, CustomStringConvertible {
    /// Short human-readable cause, for logs.
    public let reason: String
    /// The upstream's status when it answered with something other than 101.
    public let upstreamStatus: Int?

    /// Creates an error.
    public init(reason: String, upstreamStatus: Int? = nil) {
        self.reason = reason
        self.upstreamStatus = upstreamStatus
    }

    /// The reason, with the upstream status when there is one.
    public var description: String {
        upstreamStatus.map { "upstream status \($0): \(reason)" } ?? reason
    }
}
