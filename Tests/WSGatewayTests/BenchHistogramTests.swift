import Glibc
import Testing
import WSGateway

@Suite struct BenchHistogramTests {
    /// Largest relative overstatement a bucket may add: 1/128.
    let tolerance = 1.0 / 128

    func expectNear(_ value: UInt64, _ expected: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = (Double(value) - Double(expected)) / Double(expected)
        #expect(error >= 0 && error <= tolerance, "\(value) vs \(expected)", sourceLocation: sourceLocation)
    }

    @Test func uniformDistributionPercentilesAreWithinOneBucket() {
        let histogram = LatencyHistogram()
        for value in UInt64(1)...1_000_000 { histogram.record(value) }
        #expect(histogram.count == 1_000_000)
        expectNear(histogram.value(atPercentile: 50), 500_000)
        expectNear(histogram.value(atPercentile: 90), 900_000)
        expectNear(histogram.value(atPercentile: 99), 990_000)
        expectNear(histogram.value(atPercentile: 99.9), 999_000)
        #expect(histogram.value(atPercentile: 100) == 1_000_000)
        #expect(histogram.max == 1_000_000)
        #expect(histogram.min == 1)
        #expect(histogram.mean == 500_000.5)
    }

    @Test func smallValuesAreExact() {
        let histogram = LatencyHistogram()
        for value in UInt64(0)..<200 { histogram.record(value) }
        #expect(histogram.value(atPercentile: 50) == 99)
        #expect(histogram.value(atPercentile: 99) == 197)
        #expect(histogram.value(atPercentile: 0.1) == 0)
    }

    @Test func bimodalDistributionSeparatesItsTail() {
        let histogram = LatencyHistogram()
        for _ in 0..<980 { histogram.record(50_000) }
        for _ in 0..<20 { histogram.record(20_000_000) }
        expectNear(histogram.value(atPercentile: 50), 50_000)
        expectNear(histogram.value(atPercentile: 98), 50_000)
        expectNear(histogram.value(atPercentile: 99), 20_000_000)
        #expect(histogram.value(atPercentile: 99.9) == 20_000_000)
    }

    @Test func exponentialDistributionMatchesItsQuantiles() {
        // Deterministic samples at the midpoints of 100,000 equal-probability slices of Exp(mean 100 µs).
        let histogram = LatencyHistogram()
        let count = 100_000
        let mean = 100_000.0
        for i in 0..<count {
            let u = (Double(i) + 0.5) / Double(count)
            histogram.record(UInt64(-mean * log(1 - u)))
        }
        for (percent, quantile) in [(50.0, 0.5), (99.0, 0.99), (99.9, 0.999)] {
            let expected = UInt64(-mean * log(1 - quantile))
            let value = histogram.value(atPercentile: percent)
            let error = abs(Double(value) - Double(expected)) / Double(expected)
            #expect(error <= tolerance + 0.001, "p\(percent): \(value) vs \(expected)")
        }
    }

    @Test func mergeAddsCountsAndKeepsExtremes() {
        let low = LatencyHistogram()
        let high = LatencyHistogram()
        for _ in 0..<50 { low.record(1_000) }
        for _ in 0..<50 { high.record(1_000_000) }
        low.merge(high)
        #expect(low.count == 100)
        #expect(low.min == 1_000)
        #expect(low.max == 1_000_000)
        expectNear(low.value(atPercentile: 50), 1_000)
        expectNear(low.value(atPercentile: 51), 1_000_000)
        low.reset()
        #expect(low.count == 0)
        #expect(low.value(atPercentile: 99) == 0)
    }

    @Test func hugeValuesAreClampedNotLost() {
        let histogram = LatencyHistogram()
        histogram.record(.max)
        #expect(histogram.count == 1)
        #expect(histogram.value(atPercentile: 50) == histogram.max)
        #expect(histogram.max == (1 << 44) - 1)
    }
}
