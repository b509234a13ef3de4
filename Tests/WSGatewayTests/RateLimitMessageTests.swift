import Testing
import WSGateway

@Suite struct RateLimitMessageTests {
    /// A sender offering one message of `size` bytes every `interval` ms for `duration` ms, read by a relay
    /// that obeys the limiter's pauses; returns the messages and bytes that got through.
    static func simulate(
        _ limiter: inout MessageRateLimiter, size: UInt64, interval: UInt64, duration: UInt64
    ) -> (messages: UInt64, bytes: UInt64) {
        var offered: UInt64 = 0
        var delivered: (messages: UInt64, bytes: UInt64) = (0, 0)
        var readableAt: UInt64 = 0
        for now in 0..<duration {
            if now % interval == 0 { offered += 1 }
            // Reading takes whatever has queued up, one message at a time, while not paused.
            while offered > delivered.messages && now >= readableAt {
                delivered.messages += 1
                delivered.bytes += size
                for verdict in [limiter.recordMessage(nowMilliseconds: now),
                                limiter.recordBytes(size, nowMilliseconds: now)] {
                    if case .pause(let milliseconds) = verdict { readableAt = max(readableAt, now + milliseconds) }
                    #expect(verdict != .close)
                }
            }
        }
        return delivered
    }

    @Test func throttlesAMessageStreamAtTwiceTheRateToTheRate() {
        var limiter = MessageRateLimiter(RateLimit(messagesPerSecond: 100, burstMessages: 10), action: .throttle)
        // 200 messages a second offered for 10 simulated seconds.
        let delivered = Self.simulate(&limiter, size: 64, interval: 5, duration: 10_000)
        #expect((900...1_100).contains(delivered.messages), "delivered \(delivered.messages)")
    }

    @Test func throttlesAByteStreamAtTwiceTheRateToTheRate() {
        var limiter = MessageRateLimiter(RateLimit(bytesPerSecond: 100_000, burstBytes: 20_000), action: .throttle)
        // 200 kB a second offered (1 kB every 5 ms) for 10 simulated seconds.
        let delivered = Self.simulate(&limiter, size: 1_000, interval: 5, duration: 10_000)
        #expect((900_000...1_100_000).contains(delivered.bytes), "delivered \(delivered.bytes)")
    }

    @Test func leavesAStreamBelowTheRateAlone() {
        var limiter = MessageRateLimiter(RateLimit(messagesPerSecond: 100, bytesPerSecond: 100_000), action: .throttle)
        let delivered = Self.simulate(&limiter, size: 100, interval: 20, duration: 10_000)
        #expect(delivered.messages == 500)
    }

    @Test func throttlingPausesUntilTheDebtIsPaid() {
        var limiter = MessageRateLimiter(RateLimit(messagesPerSecond: 10, burstMessages: 2), action: .throttle)
        #expect(limiter.recordMessage(nowMilliseconds: 0) == .proceed)
        #expect(limiter.recordMessage(nowMilliseconds: 0) == .proceed)
        #expect(limiter.recordMessage(nowMilliseconds: 0) == .pause(milliseconds: 100))
        #expect(limiter.recordMessage(nowMilliseconds: 50) == .pause(milliseconds: 150))
    }

    @Test func closeActionClosesOnTheFirstMessageOverTheRate() {
        var limiter = MessageRateLimiter(RateLimit(messagesPerSecond: 5, bytesPerSecond: 1_000), action: .close)
        #expect(limiter.action == .close)
        for _ in 0..<5 { #expect(limiter.recordMessage(nowMilliseconds: 0) == .proceed) }
        #expect(limiter.recordMessage(nowMilliseconds: 0) == .close)
        #expect(limiter.recordMessage(nowMilliseconds: 200) == .proceed)
        #expect(limiter.recordBytes(1_000, nowMilliseconds: 200) == .proceed)
        #expect(limiter.recordBytes(1, nowMilliseconds: 200) == .close)
    }

    @Test func unlimitedRatesCountNothing() {
        var limiter = RouteLimits.standard.makeClientRateLimiter()
        #expect(limiter.isUnlimited)
        #expect(limiter.action == .throttle)
        for _ in 0..<10_000 { #expect(limiter.recordMessage(nowMilliseconds: 0) == .proceed) }
        #expect(limiter.recordBytes(.max, nowMilliseconds: 0) == .proceed)
    }

    @Test func burstDefaultsToOneSecondOfTheRate() {
        var limiter = MessageRateLimiter(RateLimit(messagesPerSecond: 50), action: .close)
        #expect(!limiter.isUnlimited)
        for _ in 0..<50 { #expect(limiter.recordMessage(nowMilliseconds: 0) == .proceed) }
        #expect(limiter.recordMessage(nowMilliseconds: 0) == .close)
    }

    @Test func routeLimitsBuildLimitersForEachDirection() {
        var limits = RouteLimits()
        limits.clientRate = RateLimit(messagesPerSecond: 1)
        limits.upstreamRate = RateLimit(bytesPerSecond: 10)
        limits.rateLimitAction = .close
        var client = limits.makeClientRateLimiter()
        var upstream = limits.makeUpstreamRateLimiter()
        #expect(client.recordMessage(nowMilliseconds: 0) == .proceed)
        #expect(client.recordMessage(nowMilliseconds: 0) == .close)
        #expect(upstream.recordMessage(nowMilliseconds: 0) == .proceed)
        #expect(upstream.recordBytes(10, nowMilliseconds: 0) == .proceed)
        #expect(upstream.recordBytes(1, nowMilliseconds: 0) == .close)
    }

    @Test func sizeLimitsDefaultToOneMebibyteAndFramesFollowMessages() {
        var limits = RouteLimits()
        #expect(limits.clientMessageLimit == 1_048_576)
        #expect(limits.clientFrameLimit == 1_048_576)
        #expect(limits.upstreamMessageLimit == 1_048_576)
        #expect(limits.upstreamFrameLimit == 1_048_576)
        limits.maxMessageSize = 4_096
        limits.maxUpstreamFrameSize = 512
        #expect(limits.clientFrameLimit == 4_096)
        #expect(limits.upstreamFrameLimit == 512)
        limits.maxFrameSize = 10_000
        #expect(limits.clientFrameLimit == 4_096)
        limits.maxMessageSize = 0
        #expect(limits.clientMessageLimit == .max)
        #expect(limits.clientFrameLimit == 10_000)
        limits.maxFrameSize = nil
        #expect(limits.clientFrameLimit == .max)
    }
}
