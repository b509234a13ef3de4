/// Opening-handshake durations in fixed buckets: a handful of counters, recorded once per connection.
public struct HandshakeHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets in milliseconds (the loop clock's resolution); a last bucket takes the rest.
    public static let boundsMilliseconds: [UInt64] = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000]

    /// Observations per bucket, not cumulative; the last entry is beyond every bound.
    public private(set) var counts = [UInt64](repeating: 0, count: boundsMilliseconds.count + 1)
    public private(set) var sumMilliseconds: UInt64 = 0

    public init() {}

    /// Every observation.
    public var count: UInt64 { counts.reduce(0, &+) }

    mutating func record(milliseconds: UInt64) {
        let bucket = Self.boundsMilliseconds.firstIndex { milliseconds <= $0 } ?? Self.boundsMilliseconds.count
        counts[bucket] &+= 1
        sumMilliseconds &+= milliseconds
    }

    mutating func add(_ other: HandshakeHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        sumMilliseconds &+= other.sumMilliseconds
    }
}

/// How a route's most recent upstream connection attempt on one loop ended.
public struct UpstreamAttempt: Sendable, Equatable {
    /// The upstream answered with its 101.
    public var succeeded: Bool
    /// When, on the monotonic clock shared by every loop.
    public var atMilliseconds: UInt64

    public init(succeeded: Bool, atMilliseconds: UInt64) {
        self.succeeded = succeeded
        self.atMilliseconds = atMilliseconds
    }
}
