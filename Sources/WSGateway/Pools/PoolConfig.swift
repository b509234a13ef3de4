/// A route's upstreams and how new connections are spread over them and kept away from broken ones
/// (docs/pools.md).
public struct UpstreamPoolConfig: Sendable, Hashable {
    /// The upstreams, in configuration order; at least one, at most `maximumMembers`, names unique,
    /// all with the same path.
    public var members: [PoolMemberConfig]
    /// How a new connection picks its upstream.
    public var balance: BalancePolicy = .roundRobin
    /// Active probes of every member; nil probes nothing.
    public var healthCheck: HealthCheckConfig?
    /// Ejection of members whose connection attempts fail.
    public var passive: PassiveHealthConfig = .standard
    /// Further upstreams tried when an attempt fails before the client has its 101.
    public var retries: Int = 2
    /// PEM CA certificates that `wss://` members must chain to; nil trusts the system's CAs.
    public var caFile: String?
    /// Milliseconds a connection to a draining member may go on before close 1012; 0 = until it ends.
    public var drainGrace: Int = 30_000

    /// A pool of `members` with every other setting at its default.
    public init(members: [PoolMemberConfig]) {
        self.members = members
    }

    /// The pool of one that `"upstream": URL` describes.
    public static func single(_ url: UpstreamURL) -> UpstreamPoolConfig {
        UpstreamPoolConfig(members: [PoolMemberConfig(url: url)])
    }

    /// Bits in the per-connection set of members already tried.
    public static let maximumMembers = 64
    /// Accepted range of `retries`.
    public static let retriesRange = 0...16
}

/// One upstream of a pool.
public struct PoolMemberConfig: Sendable, Hashable {
    public var url: UpstreamURL
    /// Share of new connections relative to the other members (round robin, hashing); 1…1000.
    public var weight: Int

    public init(url: UpstreamURL, weight: Int = 1) {
        self.url = url
        self.weight = weight
    }

    /// `host:port` (IPv6 in brackets), the member's name in metrics, logs and admin paths.
    public var name: String {
        url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
    }

    /// Accepted range of `weight`.
    public static let weightRange = 1...1000
}

/// Ejection of upstreams after failed connection attempts (refused, timed out, TLS failure, no 101).
public struct PassiveHealthConfig: Sendable, Hashable {
    /// Consecutive failed attempts that eject a member; 0 turns passive ejection off.
    public var ejectAfter: Int
    /// Milliseconds of the first ejection; each further ejection in a row doubles it.
    public var backoff: Int
    /// Milliseconds no ejection exceeds.
    public var maxBackoff: Int

    public init(ejectAfter: Int, backoff: Int, maxBackoff: Int) {
        self.ejectAfter = ejectAfter
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// Eject after one failure for 5 s, doubling up to 60 s.
    public static let standard = PassiveHealthConfig(ejectAfter: 1, backoff: 5_000, maxBackoff: 60_000)

    /// Accepted range of `ejectAfter`.
    public static let ejectAfterRange = 0...1000

    /// The ejection time after `streak` ejections in a row (1 for the first).
    func backoffMilliseconds(streak: Int) -> UInt64 {
        let doublings = min(max(streak - 1, 0), 30)
        return UInt64(min(maxBackoff, backoff << doublings))
    }
}
