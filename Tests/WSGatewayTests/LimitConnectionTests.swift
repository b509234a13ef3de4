import Synchronization
import Testing
import WSGateway

@Suite struct LimitConnectionTests {
    @Test func perIPLimitAdmitsExactlyItsCountUnderConcurrentAccepts() {
        let limits = connectionLimits(perIP: 10)
        let client = ipKey("192.0.2.7")
        let leases = SharedList<ConnectionLease>()
        let rejections = SharedList<LimitKind>()
        runOnThreads(8) { _ in
            for _ in 0..<25 {
                switch limits.admit(listener: 0, ip: client) {
                case .admitted(let lease): leases.append(lease)
                case .rejected(let kind): rejections.append(kind)
                }
            }
        }
        #expect(leases.all.count == 10)
        #expect(rejections.all.count == 190)
        #expect(Set(rejections.all) == [.ip])
        #expect(limits.connectionCount(ip: client) == 10)
        #expect(limits.connectionCount == 10)

        for lease in leases.all { lease.release() }
        #expect(limits.connectionCount(ip: client) == 0)
        #expect(limits.connectionCount == 0)
        #expect(limits.trackedKeyCount == 0)

        let again = SharedList<ConnectionLease>()
        runOnThreads(8) { _ in
            for _ in 0..<25 { if let lease = limits.admit(listener: 0, ip: client).lease { again.append(lease) } }
        }
        #expect(again.all.count == 10)
    }

    @Test func otherClientsAreNotAffectedByOneClientsLimit() {
        let limits = connectionLimits(perIP: 1)
        let first = limits.admit(listener: 0, ip: ipKey("192.0.2.1"))
        #expect(first.lease != nil)
        #expect(limits.admit(listener: 0, ip: ipKey("192.0.2.1")).rejection == .ip)
        #expect(limits.admit(listener: 0, ip: ipKey("192.0.2.2")).lease != nil)
        #expect(limits.admit(listener: 0, ip: ipKey("2001:db8::1")).lease != nil)
    }

    @Test(arguments: [LimitKind.global, .listener])
    func acceptLimitsNeverExceedTheirCountUnderChurn(kind: LimitKind) {
        let limit = 13
        let limits = kind == .global ? connectionLimits(global: limit) : connectionLimits(listener: limit)
        let admitted = Atomic<Int>(0)
        let overLimit = Atomic<Int>(0)
        let wrongKind = Atomic<Int>(0)
        runOnThreads(8) { _ in
            var held: [ConnectionLease] = []
            for step in 0..<2_000 {
                switch limits.admit(listener: 0, ip: nil) {
                case .admitted(let lease):
                    held.append(lease)
                    admitted.wrappingAdd(1, ordering: .relaxed)
                case .rejected(let refused):
                    if refused != kind { wrongKind.wrappingAdd(1, ordering: .relaxed) }
                }
                let count = kind == .global ? limits.connectionCount : limits.connectionCount(listener: 0)
                if count > limit {
                    overLimit.wrappingAdd(1, ordering: .relaxed)
                }
                if step % 3 == 2, !held.isEmpty { held.removeFirst().release() }
            }
            for lease in held { lease.release() }
        }
        #expect(overLimit.load(ordering: .relaxed) == 0)
        #expect(wrongKind.load(ordering: .relaxed) == 0)
        #expect(admitted.load(ordering: .relaxed) > limit)
        #expect(limits.connectionCount == 0)
        #expect(limits.connectionCount(listener: 0) == 0)
    }

    @Test func acceptLimitsAdmitExactlyTheirCountWhenNothingIsReleased() {
        for limits in [connectionLimits(global: 17), connectionLimits(listener: 17)] {
            let leases = SharedList<ConnectionLease>()
            runOnThreads(8) { _ in
                for _ in 0..<50 { if let lease = limits.admit(listener: 0, ip: nil).lease { leases.append(lease) } }
            }
            #expect(leases.all.count == 17)
            #expect(limits.connectionCount == 17)
        }
    }

    @Test func routeLimitAdmitsExactlyItsCountUnderContention() {
        let limits = connectionLimits(route: 9)
        let routed = SharedList<ConnectionLease>()
        let refused = SharedList<LimitKind>()
        runOnThreads(8) { _ in
            for _ in 0..<30 {
                guard let lease = limits.admit(listener: 0, ip: nil).lease else { continue }
                if let kind = limits.admit(route: 0, identity: nil, for: lease) {
                    refused.append(kind)
                    lease.release()
                } else {
                    routed.append(lease)
                }
            }
        }
        #expect(routed.all.count == 9)
        #expect(refused.all.count == 231)
        #expect(Set(refused.all) == [.route])
        #expect(limits.connectionCount(route: 0) == 9)
        #expect(limits.connectionCount == 9)
    }

    @Test func identityLimitCountsEachIdentityOnItsRoute() {
        let limits = connectionLimits(perIdentity: 2)
        let admitted = SharedList<String>()
        let kept = SharedList<ConnectionLease>()
        runOnThreads(8) { thread in
            let identity = thread % 2 == 0 ? "alice" : "bob"
            for _ in 0..<10 {
                guard let lease = limits.admit(listener: 0, ip: nil).lease else { continue }
                if limits.admit(route: 0, identity: identity, for: lease) == nil {
                    admitted.append(identity)
                    kept.append(lease)
                } else {
                    #expect(limits.connectionCount(route: 0, identity: identity) == 2)
                }
            }
        }
        #expect(admitted.all.filter { $0 == "alice" }.count == 2)
        #expect(admitted.all.filter { $0 == "bob" }.count == 2)
        let anonymous = limits.admit(listener: 0, ip: nil).lease!
        #expect(limits.admit(route: 0, identity: nil, for: anonymous) == nil)
        for lease in kept.all { lease.release() }
        anonymous.release()
        #expect(limits.connectionCount == 0)
        #expect(limits.trackedKeyCount == 0)
    }

    @Test func leaseReleasesExactlyOnce() {
        let limits = connectionLimits(perIP: 5, route: 5, perIdentity: 5)
        let client = ipKey("198.51.100.4")
        let lease = limits.admit(listener: 0, ip: client).lease!
        #expect(limits.admit(route: 0, identity: "carol", for: lease) == nil)
        let other = limits.admit(listener: 0, ip: client).lease!
        #expect(limits.admit(route: 0, identity: "carol", for: other) == nil)
        #expect(limits.connectionCount == 2)

        runOnThreads(8) { _ in lease.release() }
        lease.release()
        #expect(lease.isReleased)
        #expect(limits.connectionCount == 1)
        #expect(limits.connectionCount(listener: 0) == 1)
        #expect(limits.connectionCount(ip: client) == 1)
        #expect(limits.connectionCount(route: 0) == 1)
        #expect(limits.connectionCount(route: 0, identity: "carol") == 1)
        #expect(limits.admit(route: 0, identity: "carol", for: lease) == nil)
        #expect(limits.connectionCount(route: 0) == 1)
        other.release()
        #expect(limits.connectionCount == 0)
        #expect(limits.trackedKeyCount == 0)
    }

    @Test func droppedLeaseReleasesItself() {
        let limits = connectionLimits(global: 1, perIP: 1)
        do {
            let lease = limits.admit(listener: 0, ip: ipKey("192.0.2.9")).lease
            #expect(lease != nil)
            #expect(limits.admit(listener: 0, ip: ipKey("192.0.2.10")).rejection == .global)
        }
        #expect(limits.connectionCount == 0)
        #expect(limits.admit(listener: 0, ip: ipKey("192.0.2.10")).lease != nil)
    }

    @Test func laterIPStageReplacesTheProxysAddress() {
        let limits = connectionLimits(perIP: 1)
        let proxy = ipKey("10.0.0.1")
        let client = ipKey("203.0.113.8")
        let lease = limits.admit(listener: 0, ip: proxy).lease!
        #expect(limits.admit(ip: client, for: lease) == nil)
        #expect(limits.connectionCount(ip: proxy) == 0)
        #expect(limits.connectionCount(ip: client) == 1)
        let second = limits.admit(listener: 0, ip: nil).lease!
        #expect(limits.admit(ip: client, for: second) == .ip)
        second.release()
        lease.release()
        #expect(limits.trackedKeyCount == 0)
    }

    @Test func rejectionAtTheIPStageGivesBackGlobalAndListenerPlaces() {
        let limits = connectionLimits(global: 2, perIP: 1, listener: 2)
        let held = limits.admit(listener: 0, ip: ipKey("192.0.2.1")).lease
        #expect(held != nil)
        #expect(limits.admit(listener: 0, ip: ipKey("192.0.2.1")).rejection == .ip)
        #expect(limits.connectionCount == 1)
        #expect(limits.connectionCount(listener: 0) == 1)
    }

    @Test func rejectionsAreAnswered503WithRetryAfter() {
        #expect(LimitKind.rejectionStatus == 503)
        #expect(LimitKind.retryAfterHeader == ("Retry-After", "1"))
        #expect(LimitKind.allCases.map(\.rawValue) == ["global", "listener", "route", "ip", "identity"])
    }
}
