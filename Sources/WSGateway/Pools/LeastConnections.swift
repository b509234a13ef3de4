import Synchronization

/// The candidate with the fewest connections for its weight (connections count from the connect attempt,
/// so a burst of new connections spreads before any of them is upgraded). Ties go round: the scan starts
/// one position further each time.
final class LeastConnections: UpstreamBalancer {
    private let weights: [Int]
    private let rotation = Atomic<UInt>(0)

    init(weights: [Int]) {
        self.weights = weights
    }

    func pick(_ candidates: PoolCandidates, key: String?) -> Int? {
        let count = weights.count
        let offset = Int(rotation.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(count))
        var best: Int?
        var bestLoad = 0
        for step in 0..<count {
            let position = (offset + step) % count
            guard candidates.contains(position) else { continue }
            let load = candidates.members[position].connections.load(ordering: .relaxed)
            // load / weight < bestLoad / bestWeight, without division.
            if let current = best, load * weights[current] >= bestLoad * weights[position] { continue }
            best = position
            bestLoad = load
        }
        return best
    }
}
