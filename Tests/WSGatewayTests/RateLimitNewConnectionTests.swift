import Testing
import WSGateway

@Suite struct RateLimitNewConnectionTests {
    @Test func allowsTheBurstThenTheRatePerNetwork() {
        let limiter = NewConnectionRateLimiter(ratePerSecond: 2, burst: 3)
        let client = ipKey("192.0.2.1")
        for _ in 0..<3 { #expect(limiter.allow(ip: client, nowMilliseconds: 10_000)) }
        #expect(!limiter.allow(ip: client, nowMilliseconds: 10_000))
        #expect(limiter.allow(ip: ipKey("192.0.2.2"), nowMilliseconds: 10_000))
        #expect(!limiter.allow(ip: client, nowMilliseconds: 10_499))
        #expect(limiter.allow(ip: client, nowMilliseconds: 10_500))
        #expect(!limiter.allow(ip: client, nowMilliseconds: 10_500))
        #expect(limiter.allow(ip: client, nowMilliseconds: 11_000))
    }

    @Test func forgetsNetworksOnceTheirBucketsRefill() {
        let limiter = NewConnectionRateLimiter(ratePerSecond: 10, burst: 10)
        for index in 0..<1_000 {
            #expect(limiter.allow(ip: ipKey("10.0.\(index / 256).\(index % 256)"), nowMilliseconds: 5_000))
        }
        #expect(limiter.trackedNetworkCount == 1_000)
        for index in 0..<1_000 {
            #expect(limiter.allow(ip: ipKey("10.1.\(index / 256).\(index % 256)"), nowMilliseconds: 7_000))
        }
        #expect(limiter.trackedNetworkCount == 1_000)
    }

    @Test func countsExactlyUnderConcurrentConnections() {
        let limiter = NewConnectionRateLimiter(ratePerSecond: 1, burst: 20)
        let client = ipKey("2001:db8::5")
        let allowed = SharedList<Int>()
        runOnThreads(8) { thread in
            for _ in 0..<50 where limiter.allow(ip: client, nowMilliseconds: 1_000) { allowed.append(thread) }
        }
        #expect(allowed.all.count == 20)
    }

    @Test func connectionLimitsBuildItFromTheConfiguration() {
        var global = GlobalLimits()
        #expect(ConnectionLimits(global: global, listenerMaxConnections: [0], routeMaxConnections: [],
                                 routeMaxConnectionsPerIdentity: []).newConnectionRate == nil)
        global.newConnectionsPerIPPerSecond = 5
        let limits = ConnectionLimits(global: global, listenerMaxConnections: [0], routeMaxConnections: [],
                                      routeMaxConnectionsPerIdentity: [])
        let limiter = limits.newConnectionRate!
        let client = ipKey("192.0.2.1")
        for _ in 0..<5 { #expect(limiter.allow(ip: client, nowMilliseconds: 0)) }
        #expect(!limiter.allow(ip: client, nowMilliseconds: 0))
    }
}
