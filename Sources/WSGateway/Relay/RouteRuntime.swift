import WSIO

/// What a connection needs of its route at run time: resolved, immutable, shared by every loop.
public struct RouteRuntime: Sendable {
    public var name: String
    /// The upstream's resolved address and what goes in its Host header.
    public var upstreamAddress: SocketAddress
    public var upstreamAuthority: String
    public var policy: RelayPolicy

    public init(name: String, upstreamAddress: SocketAddress, upstreamAuthority: String, policy: RelayPolicy) {
        self.name = name
        self.upstreamAddress = upstreamAddress
        self.upstreamAuthority = upstreamAuthority
        self.policy = policy
    }
}

/// Timeouts (milliseconds; 0 disables where said) and relay settings of one route.
public struct RelayPolicy: Sendable {
    public var connectTimeout: UInt64 = 5_000
    public var handshakeTimeout: UInt64 = 10_000
    /// No data message either way for this long closes the connection (1001); 0 = never.
    public var idleTimeout: UInt64 = 0
    /// The gateway pings a client silent for this long; 0 = no keepalive pings.
    public var pingInterval: UInt64 = 30_000
    public var pongTimeout: UInt64 = 15_000
    public var closeTimeout: UInt64 = 5_000
    public var bufferSize: Int = 65_536
    /// Re-mask client frames toward the upstream with keys the gateway draws (RFC 6455 §5.3).
    public var remask: Bool = true

    public init() {}
}
