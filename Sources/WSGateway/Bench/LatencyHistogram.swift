/// A log-linear latency histogram in the style of HdrHistogram: fixed buckets, no per-sample storage.
///
/// Values 0–255 get a bucket each; above that every power-of-two range is cut into 128 equal buckets, so a
/// reported percentile is at most 1/128 (0.8 %) above the true value. Values are clamped to 2^44 − 1
/// (about 4.9 hours in nanoseconds). Not thread-safe: one histogram per event loop, merged at the end.
public final class LatencyHistogram {
    static var linearLimit: UInt64 { 256 }
    static var subBucketBits: Int { 7 }
    static var highestBit: Int { 43 }
    static var maxTrackable: UInt64 { (1 << (UInt64(highestBit) + 1)) - 1 }
    /// 256 linear buckets, then 128 for each of the octaves 2^8 … 2^43.
    static let bucketCount = 256 + ((highestBit - 7) << subBucketBits)

    private let counts: UnsafeMutablePointer<UInt64>
    /// Number of recorded values.
    public private(set) var count: UInt64 = 0
    private var sum: UInt64 = 0
    private var minimum = UInt64.max
    private var maximum: UInt64 = 0

    /// Creates an empty histogram (one allocation of about 38 KiB).
    public init() {
        counts = .allocate(capacity: Self.bucketCount)
        counts.initialize(repeating: 0, count: Self.bucketCount)
    }

    deinit {
        counts.deallocate()
    }

    /// Adds one value.
    public func record(_ value: UInt64) {
        let clamped = Swift.min(value, Self.maxTrackable)
        counts[Self.bucketIndex(clamped)] &+= 1
        count &+= 1
        sum &+= clamped
        if clamped < minimum { minimum = clamped }
        if clamped > maximum { maximum = clamped }
    }

    static func bucketIndex(_ value: UInt64) -> Int {
        if value < linearLimit { return Int(value) }
        let topBit = 63 - value.leadingZeroBitCount
        let octave = topBit - 8
        // The top `subBucketBits + 1` bits of the value: 128…255, the position inside its octave plus 128.
        let top = Int(value >> UInt64(topBit - subBucketBits))
        return Int(linearLimit) + (octave << subBucketBits) + (top - (1 << subBucketBits))
    }

    /// The largest value that lands in bucket `index`.
    static func highestValue(inBucket index: Int) -> UInt64 {
        if index < Int(linearLimit) { return UInt64(index) }
        let offset = index - Int(linearLimit)
        let octave = offset >> subBucketBits
        let shift = UInt64(octave + 8 - subBucketBits)
        let top = UInt64((1 << subBucketBits) + (offset & ((1 << subBucketBits) - 1)))
        return (top << shift) + (1 << shift) - 1
    }

    /// The value below or at which `percent` % of the recorded values lie (0 when empty).
    public func value(atPercentile percent: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let wanted = Swift.max(1, UInt64((percent / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for index in 0..<Self.bucketCount {
            seen &+= counts[index]
            if seen >= wanted { return Swift.min(Swift.max(Self.highestValue(inBucket: index), minimum), maximum) }
        }
        return maximum
    }

    /// The smallest recorded value (0 when empty).
    public var min: UInt64 { count == 0 ? 0 : minimum }
    /// The largest recorded value, exact.
    public var max: UInt64 { maximum }
    /// The exact mean of the recorded (clamped) values.
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// Adds every value recorded in `other`.
    public func merge(_ other: LatencyHistogram) {
        for index in 0..<Self.bucketCount { counts[index] &+= other.counts[index] }
        count &+= other.count
        sum &+= other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Forgets every value.
    public func reset() {
        counts.update(repeating: 0, count: Self.bucketCount)
        count = 0
        sum = 0
        minimum = .max
        maximum = 0
    }
}
