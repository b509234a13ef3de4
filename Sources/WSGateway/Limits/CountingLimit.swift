import Synchronization

/// A live-connection count with an upper bound, shared by every loop. Acquiring is a compare-and-exchange
/// loop, so concurrent accepts never push the count past the limit, not even briefly.
final class CountingLimit: Sendable {
    /// Most connections allowed at once; 0 = unlimited (the count is still kept for metrics).
    let limit: Int
    private let current = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one place; false when the limit is reached.
    func acquire() -> Bool {
        guard limit > 0 else {
            current.wrappingAdd(1, ordering: .relaxed)
            return true
        }
        var seen = current.load(ordering: .relaxed)
        while seen < limit {
            let (exchanged, original) = current.weakCompareExchange(
                expected: seen, desired: seen + 1, ordering: .relaxed)
            if exchanged { return true }
            seen = original
        }
        return false
    }

    /// Gives back a place taken by `acquire`.
    func release() {
        current.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Places currently taken.
    var count: Int { current.load(ordering: .relaxed) }
}
