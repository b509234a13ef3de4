/// Picks a pool position for a new connection; one type per policy. Balancers read member health from
/// atomics and keep their own shared state in atomics, so every loop picks without a lock.
protocol UpstreamBalancer: Sendable {
    /// A position whose member is a candidate, or nil when none is.
    func pick(_ candidates: PoolCandidates, key: String?) -> Int?
}

/// The members a connection may still go to: available now and not tried by it yet.
struct PoolCandidates {
    let members: [UpstreamMember]
    /// Bit `i` set: position `i` was tried already by this connection.
    let tried: UInt64
    let nowMilliseconds: UInt64

    @inline(__always)
    func contains(_ position: Int) -> Bool {
        tried & (1 << UInt64(position)) == 0 && members[position].isAvailable(nowMilliseconds: nowMilliseconds)
    }

    var isEmpty: Bool { !members.indices.contains(where: contains) }
}

/// Greatest common divisor, to keep weight tables short (3:3 behaves as 1:1).
func greatestCommonDivisor(_ values: [Int]) -> Int {
    values.reduce(0) { a, b in
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
