/// Gateway-wide connection limits (the top-level `limits` object). Every count of 0 means unlimited.
public struct GlobalLimits: Sendable, Hashable {
    /// Most client connections open at once over all listeners.
    public var maxConnections: Int = 0
    /// Most client connections open at once from one client network (see the prefixes).
    public var maxConnectionsPerIP: Int = 0
    /// Leading bits of an IPv4 address that name a client network for per-IP limits (32 = each address).
    public var ipv4Prefix: Int = 32
    /// Leading bits of an IPv6 address that name a client network for per-IP limits (128 = each address).
    public var ipv6Prefix: Int = 128
    /// New connections accepted per second from one client network, sustained.
    public var newConnectionsPerIPPerSecond: Int = 0
    /// New connections one client network may open at once before the per-second rate applies; 0 = the rate.
    public var newConnectionsBurst: Int = 0

    /// No limits.
    public init() {}

    /// No limits; the value when the file has no `limits` object.
    public static let unlimited = GlobalLimits()

    /// Accepted range of every connection count (global, per listener, per route, per IP, per identity).
    public static let connectionCountRange = 0...10_000_000
    /// Accepted range of the new-connection rate and burst.
    public static let connectionRateRange = 0...1_000_000
}
