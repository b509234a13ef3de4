import Synchronization
import WSHTTP
import WSIO
import WSTLS

/// A route's upstreams at run time: resolved members with shared health, the balancer, and the settings
/// connections and the health checker follow. Immutable apart from atomics; shared by every loop.
public final class UpstreamPool: Sendable {
    public let route: String
    public let members: [UpstreamMember]
    public let config: UpstreamPoolConfig
    /// Client context for `wss://` members (verification against `config.caFile`, SNI); nil without any.
    let tls: TLSClientContext?
    private let balancer: any UpstreamBalancer
    /// Attempts that failed and were retried on another member.
    let retriesTotal = Atomic<UInt64>(0)

    /// Builds the pool; members of `previous` with the same URL and address are kept, with their health,
    /// drain state and counts (a reload restarts nothing that did not change).
    init(route: String, config: UpstreamPoolConfig, addresses: [SocketAddress], tls: TLSClientContext?,
         previous: UpstreamPool?) {
        self.route = route
        self.config = config
        self.tls = tls
        members = zip(config.members, addresses).map { member, address in
            if let kept = previous?.members.first(where: { $0.url == member.url && $0.address.description == address.description }) {
                return kept
            }
            return UpstreamMember(url: member.url, name: member.name, address: address)
        }
        let weights = config.members.map(\.weight)
        switch config.balance {
        case .roundRobin: balancer = WeightedRoundRobin(weights: weights)
        case .leastConnections: balancer = LeastConnections(weights: weights)
        case .hash: balancer = ConsistentHashRing(names: config.members.map(\.name), weights: weights)
        }
    }

    /// The member position for a new connection that already tried `tried`; nil when no member is available.
    func pick(key: String?, tried: UInt64, nowMilliseconds now: UInt64) -> Int? {
        balancer.pick(PoolCandidates(members: members, tried: tried, nowMilliseconds: now), key: key)
    }

    /// Whether failed attempts eject members. A pool of one never ejects its member (as nginx ignores
    /// `max_fails` for a single server): refusing every client for a backoff helps nobody, and the real
    /// status (502/504) says more than 503.
    var passiveEjection: PassiveHealthConfig? {
        members.count > 1 && config.passive.ejectAfter > 0 ? config.passive : nil
    }

    /// The key a hashing pool hashes for this request; nil for other policies or when the request has none.
    func balanceKey(client: SocketAddress, head: HTTPRequestHead?, identity: String?) -> String? {
        guard case .hash(let source) = config.balance else { return nil }
        switch source {
        case .clientIP: return client.host
        case .identity: return identity
        case .header(let name): return head?.headers.first(name)
        case .query(let name):
            guard let target = head?.target, let value = QueryString.values(of: name, in: target).first,
                  let bytes = value else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Seconds a client told 503 should wait: until the first ejection ends, else about `rise` checks.
    func retryAfterSeconds(nowMilliseconds now: UInt64) -> Int {
        let ejectionEnds = members.map { $0.ejectedUntil.load(ordering: .relaxed) }.filter { $0 > now }.min()
        let milliseconds: UInt64
        if let ejectionEnds {
            milliseconds = ejectionEnds - now
        } else if let check = config.healthCheck {
            milliseconds = UInt64(check.interval * check.rise)
        } else {
            milliseconds = 1_000
        }
        return Int(min(60, max(1, (milliseconds + 999) / 1_000)))
    }

    /// The member called `name` (`host:port`).
    public func member(named name: String) -> UpstreamMember? { members.first { $0.name == name } }
}
