import WSIO

/// Every connection-count limit of a running gateway: global, per listener, per client network, per route
/// and per identity on a route. Built once from the configuration and shared by all loops; counts are
/// exact under concurrent accepts (atomics for the fixed counters, sharded locked tables for per-key counts).
///
/// Admission comes in stages, as the relay learns more: `admit(listener:ip:)` at accept, `admit(ip:for:)`
/// once a PROXY header or a trusted proxy's header names the real client, `admit(route:identity:for:)` after
/// routing and authentication. A refused stage holds nothing new; the caller answers 503 with
/// `Retry-After: 1` and releases the lease.
public final class ConnectionLimits: Sendable {
    private let global: CountingLimit
    private let listeners: [CountingLimit]
    private let routes: [CountingLimit]
    private let routeIdentityLimits: [Int]
    private let ipLimit: Int
    private let perIP = ShardedCounter<IPAddressKey>()
    private let perIdentity = ShardedCounter<IdentityKey>()
    /// Leading bits of an IPv4 address that make its client network.
    public let ipv4Prefix: Int
    /// Leading bits of an IPv6 address that make its client network.
    public let ipv6Prefix: Int
    /// The per-network new-connection rate, if `limits` sets one; checked by the relay before admitting.
    public let newConnectionRate: NewConnectionRateLimiter?

    /// Limits with the given counts (0 = unlimited); listeners and routes are numbered as in the config.
    public init(global limits: GlobalLimits, listenerMaxConnections: [Int], routeMaxConnections: [Int],
                routeMaxConnectionsPerIdentity: [Int]) {
        precondition(routeMaxConnections.count == routeMaxConnectionsPerIdentity.count)
        global = CountingLimit(limit: limits.maxConnections)
        listeners = listenerMaxConnections.map(CountingLimit.init(limit:))
        routes = routeMaxConnections.map(CountingLimit.init(limit:))
        routeIdentityLimits = routeMaxConnectionsPerIdentity
        ipLimit = limits.maxConnectionsPerIP
        ipv4Prefix = limits.ipv4Prefix
        ipv6Prefix = limits.ipv6Prefix
        newConnectionRate = limits.newConnectionsPerIPPerSecond == 0 ? nil : NewConnectionRateLimiter(
            ratePerSecond: UInt64(limits.newConnectionsPerIPPerSecond),
            burst: UInt64(limits.newConnectionsBurst == 0 ? limits.newConnectionsPerIPPerSecond : limits.newConnectionsBurst))
    }

    /// The limits a validated configuration sets.
    public convenience init(config: GatewayConfig) {
        self.init(
            global: config.limits, listenerMaxConnections: config.listeners.map(\.edge.maxConnections),
            routeMaxConnections: config.routes.map(\.policy.limits.maxConnections),
            routeMaxConnectionsPerIdentity: config.routes.map(\.policy.limits.maxConnectionsPerIdentity))
    }

    /// The client network `address` counts against; nil for a non-IP address.
    public func key(for address: SocketAddress) -> IPAddressKey? {
        IPAddressKey(address, ipv4Prefix: ipv4Prefix, ipv6Prefix: ipv6Prefix)
    }

    /// First stage, at accept: the global and listener counts, and the client network when already known.
    public func admit(listener: Int, ip: IPAddressKey?) -> ConnectionAdmission {
        guard global.acquire() else { return .rejected(.global) }
        guard listeners[listener].acquire() else {
            global.release()
            return .rejected(.listener)
        }
        let lease = ConnectionLease(limits: self, listener: listener)
        if let ip, let refused = admit(ip: ip, for: lease) {
            lease.release()
            return .rejected(refused)
        }
        return .admitted(lease)
    }

    /// Counts the lease against client network `ip`, replacing the network it held (the proxy's, before
    /// the real client was known); nil when admitted, else the refusing limit with the old holding kept.
    /// A released lease is left alone.
    public func admit(ip: IPAddressKey, for lease: ConnectionLease) -> LimitKind? {
        guard ipLimit > 0 else { return nil }
        return lease.holdings.withLock { holdings -> LimitKind? in
            guard !holdings.released else { return nil }
            guard holdings.ip != ip else { return nil }
            guard perIP.acquire(ip, limit: ipLimit) else { return .ip }
            if let old = holdings.ip { perIP.release(old) }
            holdings.ip = ip
            return nil
        }
    }

    /// Last stage, after routing and authentication: the route's count and, for an authenticated client,
    /// its identity's count on that route. Nil when admitted; once per lease. A released lease is left alone.
    public func admit(route: Int, identity: String?, for lease: ConnectionLease) -> LimitKind? {
        lease.holdings.withLock { holdings -> LimitKind? in
            guard !holdings.released else { return nil }
            precondition(holdings.route == nil, "a lease is admitted to one route only")
            guard routes[route].acquire() else { return .route }
            let identityLimit = routeIdentityLimits[route]
            if let identity, identityLimit > 0 {
                let key = IdentityKey(route: route, identity: identity)
                guard perIdentity.acquire(key, limit: identityLimit) else {
                    routes[route].release()
                    return .identity
                }
                holdings.identity = key
            }
            holdings.route = route
            return nil
        }
    }

    func giveBack(_ held: ConnectionLease.Holdings) {
        if let identity = held.identity { perIdentity.release(identity) }
        if let route = held.route { routes[route].release() }
        if let ip = held.ip { perIP.release(ip) }
        listeners[held.listener].release()
        global.release()
    }

    /// Connections currently admitted over the whole gateway.
    public var connectionCount: Int { global.count }
    /// Connections currently admitted on listener `index`.
    public func connectionCount(listener index: Int) -> Int { listeners[index].count }
    /// Connections currently admitted to route `index`.
    public func connectionCount(route index: Int) -> Int { routes[index].count }
    /// Connections currently counted for client network `ip` (0 when per-IP limits are off).
    public func connectionCount(ip: IPAddressKey) -> Int { perIP.count(ip) }
    /// Connections currently counted for `identity` on route `index`.
    public func connectionCount(route index: Int, identity: String) -> Int {
        perIdentity.count(IdentityKey(route: index, identity: identity))
    }
    /// Client networks and identities currently tracked; both tables forget a key at zero.
    public var trackedKeyCount: Int { perIP.keyCount + perIdentity.keyCount }
}
