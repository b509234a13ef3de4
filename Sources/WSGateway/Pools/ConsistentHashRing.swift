/// Consistent hashing on a ring of virtual nodes (100 per unit of weight). A key goes to the first
/// point clockwise from its hash whose member is a candidate, so when a member leaves only its own keys
/// move (to the members after it on the ring), about 1/N of them. Points are placed by member name, not
/// position, so reordering the configuration moves nothing.
///
/// Requests without a key (no such header, parameter or identity) are spread by round robin.
final class ConsistentHashRing: UpstreamBalancer {
    private let hashes: [UInt64]
    private let positions: [Int]
    private let fallback: WeightedRoundRobin

    /// Virtual nodes per unit of weight, and the most points a ring holds.
    static let pointsPerWeight = 100
    static let maximumPoints = 100_000

    init(names: [String], weights: [Int]) {
        let total = weights.reduce(0, +) * Self.pointsPerWeight
        let scale = total > Self.maximumPoints ? Double(Self.maximumPoints) / Double(total) : 1
        var points: [(hash: UInt64, position: Int)] = []
        for (position, name) in names.enumerated() {
            let count = max(1, Int(Double(weights[position] * Self.pointsPerWeight) * scale))
            for replica in 0..<count {
                points.append((KeyHash.hash("\(name)#\(replica)"), position))
            }
        }
        points.sort { $0.hash < $1.hash || ($0.hash == $1.hash && $0.position < $1.position) }
        hashes = points.map(\.hash)
        positions = points.map(\.position)
        fallback = WeightedRoundRobin(weights: weights)
    }

    func pick(_ candidates: PoolCandidates, key: String?) -> Int? {
        guard let key else { return fallback.pick(candidates, key: nil) }
        guard !candidates.isEmpty else { return nil }
        var index = firstPoint(atOrAfter: KeyHash.hash(key))
        for _ in 0..<positions.count {
            if candidates.contains(positions[index]) { return positions[index] }
            index += 1
            if index == positions.count { index = 0 }
        }
        return nil
    }

    /// Binary search; wraps to the first point past the largest hash.
    private func firstPoint(atOrAfter hash: UInt64) -> Int {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low == hashes.count ? 0 : low
    }
}

/// A 64-bit hash of a key: FNV-1a over its UTF-8 bytes, then MurmurHash3's finalizer so that similar
/// keys ("user-1", "user-2") land far apart on the ring.
enum KeyHash {
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
