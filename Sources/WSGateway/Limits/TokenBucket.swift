/// A token bucket for one connection and direction, kept by its loop (no atomics). Tokens are counted in
/// thousandths, so a rate per second is exactly that many thousandths per millisecond and refilling never
/// rounds. The bucket starts full.
///
/// A cost larger than the whole bucket passes once the bucket is full and leaves it in debt, so a message
/// bigger than the burst is delayed rather than refused forever, and the long-run rate stays exact.
public struct TokenBucket: Sendable {
    /// Thousandths of a token; negative while in debt.
    private var balance: Int64
    /// The burst, in thousandths.
    private let capacity: Int64
    /// Tokens per second, which is thousandths per millisecond.
    private let rate: Int64
    /// When `balance` was last brought up to date.
    private var updatedMilliseconds: UInt64 = 0

    /// A full bucket that refills `ratePerSecond` tokens a second and holds at most `burst`; both are clamped
    /// to 1…2^40.
    public init(ratePerSecond: UInt64, burst: UInt64) {
        rate = Int64(Self.clamp(ratePerSecond))
        capacity = Int64(Self.clamp(burst)) * 1000
        balance = capacity
    }

    /// Takes `n` tokens if the bucket holds them (or is full, for `n` above the burst); false leaves it as is.
    public mutating func take(_ n: UInt64, nowMilliseconds: UInt64) -> Bool {
        refill(to: nowMilliseconds)
        let cost = Self.thousandths(n)
        guard balance >= min(cost, capacity) else { return false }
        balance -= cost
        return true
    }

    /// Takes `n` tokens whether or not they are there, going into debt; for traffic that has already passed.
    public mutating func consume(_ n: UInt64, nowMilliseconds: UInt64) {
        refill(to: nowMilliseconds)
        balance = max(balance - Self.thousandths(n), Self.deepestDebt)
    }

    /// Milliseconds from `now` until `take(n)` would succeed; 0 for `n` = 0 means the bucket is out of debt.
    public func millisecondsUntilAvailable(_ n: UInt64, now: UInt64) -> UInt64 {
        var future = self
        future.refill(to: now)
        let missing = min(Self.thousandths(n), capacity) - future.balance
        guard missing > 0 else { return 0 }
        return UInt64((missing + rate - 1) / rate)
    }

    /// Whether the bucket would be full at `now`; a full bucket is the same as a fresh one.
    public func isFull(at now: UInt64) -> Bool {
        var future = self
        future.refill(to: now)
        return future.balance == future.capacity
    }

    private mutating func refill(to now: UInt64) {
        guard now > updatedMilliseconds else { return }
        let elapsed = now - updatedMilliseconds
        updatedMilliseconds = now
        guard balance < capacity else { return }
        let missing = UInt64(capacity - balance)
        // Compared by division first: a long-idle bucket's elapsed × rate could overflow.
        if elapsed > missing / UInt64(rate) {
            balance = capacity
        } else {
            balance = min(capacity, balance + Int64(elapsed) * rate)
        }
    }

    private static let largest: UInt64 = 1 << 40
    /// Far below any debt real traffic makes, far above overflow.
    private static let deepestDebt: Int64 = -(1 << 62)

    private static func clamp(_ value: UInt64) -> UInt64 { min(max(value, 1), largest) }

    private static func thousandths(_ n: UInt64) -> Int64 { Int64(min(n, largest)) * 1000 }
}
