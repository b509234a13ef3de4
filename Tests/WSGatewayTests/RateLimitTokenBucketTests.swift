import Testing
import WSGateway

@Suite struct RateLimitTokenBucketTests {
    @Test func startsFullAndHoldsItsBurst() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5)
        for _ in 0..<5 { #expect(bucket.take(1, nowMilliseconds: 0) == true) }
        #expect(bucket.take(1, nowMilliseconds: 0) == false)
    }

    @Test func refillsAtItsRate() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5)
        #expect(bucket.take(5, nowMilliseconds: 1_000) == true)
        #expect(bucket.take(1, nowMilliseconds: 1_099) == false)
        #expect(bucket.take(1, nowMilliseconds: 1_100) == true)
        #expect(bucket.take(2, nowMilliseconds: 1_250) == false)
        #expect(bucket.take(2, nowMilliseconds: 1_300) == true)
    }

    @Test func refillStopsAtTheBurst() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5)
        #expect(bucket.take(5, nowMilliseconds: 0) == true)
        #expect(bucket.isFull(at: 500))
        #expect(!bucket.isFull(at: 499))
        for _ in 0..<5 { #expect(bucket.take(1, nowMilliseconds: 60_000) == true) }
        #expect(bucket.take(1, nowMilliseconds: 60_000) == false)
    }

    @Test func fractionalRefillIsNotLost() {
        // 3 tokens a second: one token every 333.3 ms; over 3 s exactly 9 come back.
        var bucket = TokenBucket(ratePerSecond: 3, burst: 3)
        #expect(bucket.take(3, nowMilliseconds: 0) == true)
        var taken = 0
        for now in stride(from: UInt64(1), through: 3_000, by: 1) where bucket.take(1, nowMilliseconds: now) {
            taken += 1
        }
        #expect(taken == 9)
    }

    @Test func reportsTimeUntilAvailable() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5)
        #expect(bucket.millisecondsUntilAvailable(5, now: 0) == 0)
        #expect(bucket.take(5, nowMilliseconds: 0) == true)
        #expect(bucket.millisecondsUntilAvailable(1, now: 0) == 100)
        #expect(bucket.millisecondsUntilAvailable(1, now: 40) == 60)
        #expect(bucket.millisecondsUntilAvailable(3, now: 40) == 260)
        #expect(bucket.millisecondsUntilAvailable(0, now: 0) == 0)
        // Asking for more than the burst waits for a full bucket.
        #expect(bucket.millisecondsUntilAvailable(50, now: 0) == 500)
        #expect(bucket.take(1, nowMilliseconds: 99) == false)
        #expect(bucket.take(1, nowMilliseconds: 100) == true)
    }

    @Test func costAboveTheBurstPassesFromAFullBucketAndLeavesDebt() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5)
        #expect(bucket.take(20, nowMilliseconds: 0) == true)
        #expect(bucket.millisecondsUntilAvailable(0, now: 0) == 1_500)
        #expect(bucket.millisecondsUntilAvailable(1, now: 0) == 1_600)
        #expect(bucket.take(20, nowMilliseconds: 1_999) == false)
        #expect(bucket.take(20, nowMilliseconds: 2_000) == true)
    }

    @Test func consumeGoesIntoDebtThatTimePaysBack() {
        var bucket = TokenBucket(ratePerSecond: 1_000, burst: 1_000)
        bucket.consume(3_000, nowMilliseconds: 0)
        #expect(bucket.millisecondsUntilAvailable(0, now: 0) == 2_000)
        #expect(bucket.millisecondsUntilAvailable(0, now: 1_500) == 500)
        #expect(bucket.take(1, nowMilliseconds: 2_000) == false)
        #expect(bucket.take(1, nowMilliseconds: 2_001) == true)
    }

    @Test func extremeValuesDoNotOverflow() {
        var bucket = TokenBucket(ratePerSecond: .max, burst: .max)
        for _ in 0..<1_000 { bucket.consume(.max, nowMilliseconds: 0) }
        #expect(bucket.take(1, nowMilliseconds: 1) == false)
        #expect(bucket.isFull(at: .max))
        #expect(bucket.take(1 << 40, nowMilliseconds: .max) == true)
        var slow = TokenBucket(ratePerSecond: 1, burst: 1)
        #expect(slow.take(1, nowMilliseconds: 0) == true)
        #expect(slow.take(1, nowMilliseconds: UInt64.max / 2) == true)
    }
}
