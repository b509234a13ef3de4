import WSIO

/// What a connection needs of its route at run time: resolved, immutable, shared by every loop.
///
/// A class, so a connection holding its route takes one reference: as a struct it was copied nine times per
/// proxied connection, each copy retaining the policy's strings and arrays.
public final class RouteRuntime: Sendable {
    public let name: String
    /// The upstreams, their health and how one is picked.
    public let pool: UpstreamPool
    public let policy: RoutePolicy
    /// Built from `policy.auth` (keys loaded once); nil lets every request through.
    public let authenticator: Authenticator?

    public init(name: String, pool: UpstreamPool, policy: RoutePolicy, authenticator: Authenticator? = nil) {
        self.name = name
        self.pool = pool
        self.policy = policy
        self.authenticator = authenticator
    }
}

extension RoutePolicy {
    var connectMilliseconds: UInt64 { UInt64(connectTimeout) }
    var handshakeMilliseconds: UInt64 { UInt64(handshakeTimeout) }
    var idleMilliseconds: UInt64 { UInt64(idleTimeout) }
    var pingMilliseconds: UInt64 { UInt64(pingInterval) }
    var pongMilliseconds: UInt64 { UInt64(pongTimeout) }
    var closeMilliseconds: UInt64 { UInt64(closeTimeout) }
}
