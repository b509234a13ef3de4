import Synchronization

/// Live-connection counts per key (client network, identity) with one limit for every key. Keys are spread
/// over shards, each behind its own short lock, so accepts on different loops rarely wait for each other;
/// a key's entry is removed when its count returns to zero, so the table holds only keys in use.
final class ShardedCounter<Key: Hashable & Sendable>: Sendable {
    private final class Shard: Sendable {
        let counts = Mutex<[Key: Int]>([:])
    }

    private let shards: [Shard]

    /// `shardCount` is rounded up to a power of two.
    init(shardCount: Int = 64) {
        var count = 1
        while count < shardCount { count <<= 1 }
        shards = (0..<count).map { _ in Shard() }
    }

    /// Counts one more connection for `key`; false (and nothing counted) when `key` already has `limit`.
    func acquire(_ key: Key, limit: Int) -> Bool {
        shard(for: key).counts.withLock { counts in
            let current = counts[key, default: 0]
            guard current < limit else { return false }
            counts[key] = current + 1
            return true
        }
    }

    /// Counts one connection fewer for `key`, forgetting the key at zero.
    func release(_ key: Key) {
        shard(for: key).counts.withLock { counts in
            guard let current = counts[key] else { return }
            counts[key] = current > 1 ? current - 1 : nil
        }
    }

    /// Connections currently counted for `key`.
    func count(_ key: Key) -> Int {
        shard(for: key).counts.withLock { $0[key, default: 0] }
    }

    /// Keys currently held in the table (every one with a count above zero).
    var keyCount: Int {
        shards.reduce(0) { total, shard in total + shard.counts.withLock { $0.count } }
    }

    private func shard(for key: Key) -> Shard {
        shards[key.hashValue & (shards.count - 1)]
    }
}
