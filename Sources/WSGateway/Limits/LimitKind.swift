/// Which connection limit turned a connection away; the raw value is the label for logs and metrics.
public enum LimitKind: String, Sendable, Hashable, CaseIterable {
    case global
    case listener
    case route
    case ip
    case identity

    /// The HTTP status a connection turned away by a limit is answered with.
    public static let rejectionStatus = 503
    /// The `Retry-After` header sent with that answer.
    public static let retryAfterHeader = ("Retry-After", "1")
}

/// The outcome of admitting a new connection.
public enum ConnectionAdmission: Sendable {
    /// Admitted; the connection keeps the lease and releases it when it closes.
    case admitted(ConnectionLease)
    /// Refused by this limit; nothing is held.
    case rejected(LimitKind)
}
