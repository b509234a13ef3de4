import Synchronization

/// How fast each client network may open connections: a token bucket per network, in shards behind short
/// locks, shared by every loop. A bucket that has refilled is the same as no bucket, so each shard drops
/// its full buckets about once a second and the table holds only networks that connected recently.
public final class NewConnectionRateLimiter: Sendable {
    private struct ShardState {
        var buckets: [IPAddressKey: TokenBucket] = [:]
        var lastSweep: UInt64 = 0
    }

    private final class Shard: Sendable {
        let state = Mutex(ShardState())
    }

    private let shards: [Shard]
    private let ratePerSecond: UInt64
    private let burst: UInt64

    /// Allows `ratePerSecond` new connections a second per network, after a first `burst` at once.
    public init(ratePerSecond: UInt64, burst: UInt64) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// Whether a new connection from `ip` may proceed at `nowMilliseconds` (monotonic); counts it if so.
    public func allow(ip: IPAddressKey, nowMilliseconds now: UInt64) -> Bool {
        shards[ip.hashValue & (Self.shardCount - 1)].state.withLock { state in
            if now &- state.lastSweep >= Self.sweepIntervalMilliseconds {
                state.lastSweep = now
                state.buckets = state.buckets.filter { !$0.value.isFull(at: now) }
            }
            var bucket = state.buckets[ip] ?? TokenBucket(ratePerSecond: ratePerSecond, burst: burst)
            let allowed = bucket.take(1, nowMilliseconds: now)
            state.buckets[ip] = bucket
            return allowed
        }
    }

    /// Networks with a bucket still refilling (or not yet swept).
    public var trackedNetworkCount: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.buckets.count } }
    }

    private static let shardCount = 64
    private static let sweepIntervalMilliseconds: UInt64 = 1_000
}
