import Synchronization

/// Smooth weighted round robin (nginx's): the order for one round of total weight is computed once, so
/// that 3:1 interleaves as a a b a rather than a a a b, and a shared ticket counter walks it.
///
/// A ticket whose member cannot take the connection is passed over and the next ticket is drawn, so an
/// unavailable member's share is spread over the others by their weights.
final class WeightedRoundRobin: UpstreamBalancer {
    private let sequence: [Int]
    private let tickets = Atomic<UInt>(0)

    init(weights: [Int]) {
        let divisor = max(1, greatestCommonDivisor(weights))
        let reduced = weights.map { $0 / divisor }
        let total = reduced.reduce(0, +)
        var current = [Int](repeating: 0, count: reduced.count)
        var sequence: [Int] = []
        sequence.reserveCapacity(total)
        for _ in 0..<total {
            var best = 0
            for position in reduced.indices {
                current[position] += reduced[position]
                if current[position] > current[best] { best = position }
            }
            current[best] -= total
            sequence.append(best)
        }
        self.sequence = sequence
    }

    func pick(_ candidates: PoolCandidates, key: String?) -> Int? {
        guard !candidates.isEmpty else { return nil }
        let count = UInt(sequence.count)
        for _ in 0..<sequence.count {
            let ticket = tickets.wrappingAdd(1, ordering: .relaxed).oldValue
            let position = sequence[Int(ticket % count)]
            if candidates.contains(position) { return position }
        }
        // Only reached when the sole candidates hold a tiny share of a huge weight table.
        return candidates.members.indices.first(where: candidates.contains)
    }
}
