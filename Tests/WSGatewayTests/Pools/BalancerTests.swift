import Testing
@testable import WSGateway
import WSHTTP
import WSIO

@Suite struct BalancerTests {
    @Test func weightedRoundRobinInterleavesByWeight() {
        let pool = testPool(weights: [3, 1])
        let order = (0..<8).map { _ in pool.pick(key: nil, tried: 0, nowMilliseconds: 0)! }
        // Smooth: the light member comes between heavy ones, not after three of them in a row.
        #expect(order == [0, 0, 1, 0, 0, 0, 1, 0])
        #expect(testPool(weights: [3, 1]).tally(4_000) == [3_000, 1_000])
        #expect(testPool(weights: [2, 2, 2]).tally(300) == [100, 100, 100])
    }

    @Test func roundRobinSpreadsAnUnavailableMembersShareOverTheOthers() {
        let pool = testPool(weights: [1, 1, 1])
        _ = pool.members[1].setDraining(true, nowMilliseconds: 0)
        #expect(pool.tally(300) == [150, 0, 150])
    }

    @Test func triedMembersAreSkipped() {
        let pool = testPool(weights: [1, 1, 1])
        for _ in 0..<10 {
            let position = pool.pick(key: nil, tried: 0b011, nowMilliseconds: 0)
            #expect(position == 2)
        }
        #expect(pool.pick(key: nil, tried: 0b111, nowMilliseconds: 0) == nil)
    }

    @Test func leastConnectionsPrefersTheEmptiestForItsWeight() {
        let pool = testPool(weights: [1, 1, 2], balance: .leastConnections)
        var counts = [0, 0, 0]
        for _ in 0..<400 {
            let position = pool.pick(key: nil, tried: 0, nowMilliseconds: 0)!
            pool.members[position].acquire()
            counts[position] += 1
        }
        #expect(counts == [100, 100, 200])
        for _ in 0..<50 { pool.members[0].release() }
        #expect((0..<50).map { _ in pool.pick(key: nil, tried: 0, nowMilliseconds: 0).map { position in
            pool.members[position].acquire()
            return position
        } } .allSatisfy { $0 == 0 })
    }

    @Test func consistentHashingMovesOnlyTheKeysOfTheMemberThatLeft() {
        let pool = testPool(weights: [1, 1, 1], balance: .hash(.identity))
        let keys = (0..<3_000).map { "user-\($0)" }
        let before = keys.map { pool.pick(key: $0, tried: 0, nowMilliseconds: 0)! }
        #expect(before == keys.map { pool.pick(key: $0, tried: 0, nowMilliseconds: 0)! }, "the same key, the same member")
        let shares = (0..<3).map { member in Double(before.filter { $0 == member }.count) / Double(keys.count) }
        #expect(shares.allSatisfy { $0 > 0.27 && $0 < 0.40 }, "virtual nodes spread keys evenly: \(shares)")
        for leaving in 0..<3 {
            _ = pool.members[leaving].setDraining(true, nowMilliseconds: 0)
            let after = keys.map { pool.pick(key: $0, tried: 0, nowMilliseconds: 0)! }
            let stayed = zip(before, after).filter { $0 == $1 }.count
            #expect(stayed == before.filter { $0 != leaving }.count, "only the leaving member's keys move")
            #expect(zip(before, after).allSatisfy { $0 == leaving ? $1 != leaving : $0 == $1 })
            let movedTo = Set(zip(before, after).filter { $0.0 == leaving }.map(\.1))
            #expect(movedTo.count == 2, "its keys spread over both others")
            _ = pool.members[leaving].setDraining(false, nowMilliseconds: 0)
            #expect(keys.map { pool.pick(key: $0, tried: 0, nowMilliseconds: 0)! } == before, "it gets them back")
        }
    }

    /// 300 identities, each of three members leaving in turn: on average exactly 2/3 stay (only the leaving
    /// member's identities move), and no single departure moves more than 40%.
    @Test func threeHundredIdentitiesWhenOneOfThreeLeaves() {
        let pool = testPool(weights: [1, 1, 1], balance: .hash(.identity))
        let keys = (0..<300).map { "user-\($0)" }
        let before = keys.map { pool.pick(key: $0, tried: 0, nowMilliseconds: 0)! }
        var kept: [Int] = []
        for leaving in 0..<3 {
            let tried: UInt64 = 1 << UInt64(leaving)
            let after = keys.map { pool.pick(key: $0, tried: tried, nowMilliseconds: 0)! }
            kept.append(zip(before, after).filter { $0 == $1 }.count)
        }
        #expect(kept.reduce(0, +) == 2 * 300, "kept \(kept)")
        #expect(kept.allSatisfy { $0 >= 180 }, "kept \(kept)")
    }

    @Test func ringPositionsDependOnNamesNotOrder() {
        let pool = testPool(weights: [1, 1, 1], balance: .hash(.clientIP))
        let names = pool.members.map(\.name)
        let reversed = ConsistentHashRing(names: names.reversed(), weights: [1, 1, 1])
        let forward = ConsistentHashRing(names: names, weights: [1, 1, 1])
        let candidates = PoolCandidates(members: pool.members, tried: 0, nowMilliseconds: 0)
        for key in (0..<500).map({ "10.0.0.\($0)" }) {
            let a = forward.pick(candidates, key: key)!
            let b = reversed.pick(candidates, key: key)!
            #expect(names[a] == names.reversed()[b])
        }
    }

    @Test func hashingWithoutAKeyFallsBackToRoundRobin() {
        #expect(testPool(weights: [1, 1], balance: .hash(.header("x-tenant"))).tally(10) == [5, 5])
    }

    @Test func passiveEjectionBacksOffDoublingAndNeverForAPoolOfOne() {
        let pool = testPool(weights: [1, 1], passive: PassiveHealthConfig(ejectAfter: 2, backoff: 1_000, maxBackoff: 3_000))
        let member = pool.members[0]
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 10) == nil)
        #expect(member.isAvailable(nowMilliseconds: 10))
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 20) == 1_000)
        #expect(member.state(nowMilliseconds: 500) == .ejected)
        #expect(!member.isAvailable(nowMilliseconds: 1_019))
        #expect(member.isAvailable(nowMilliseconds: 1_020))
        // Failures while ejected (other loops, same outage) do not extend it.
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 30) == nil)
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 2_000) == nil)
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 2_001) == 2_000)
        _ = member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 5_000)
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 5_001) == 3_000)
        member.recordSuccess()
        _ = member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 9_000)
        #expect(member.recordFailure(passive: pool.passiveEjection, activeChecks: false, nowMilliseconds: 9_001) == 1_000,
                "a success resets the backoff")
        #expect(member.ejectionsTotal.load(ordering: .relaxed) == 4)
        #expect(testPool(weights: [1]).passiveEjection == nil)
    }

    @Test func withActiveChecksAnEjectedMemberWaitsForThem() {
        let pool = testPool(weights: [1, 1], healthCheck: HealthCheckConfig(kind: .tcp))
        let member = pool.members[1]
        _ = member.recordFailure(passive: pool.passiveEjection, activeChecks: true, nowMilliseconds: 0)
        #expect(member.state(nowMilliseconds: 100) == .ejected)
        #expect(member.state(nowMilliseconds: 10_000) == .down)
        #expect(!member.isAvailable(nowMilliseconds: 10_000))
    }

    @Test func aReloadKeepsMembersWhoseURLAndAddressAreUnchanged() {
        let old = testPool(weights: [1, 1, 1])
        _ = old.members[2].setDraining(true, nowMilliseconds: 0)
        old.members[2].acquire()
        let new = testPool(weights: [1, 1, 5], previous: old)
        #expect(new.members[2] === old.members[2])
        #expect(new.members[2].state(nowMilliseconds: 0) == .draining)
        #expect(new.members[2].connections.load(ordering: .relaxed) == 1)
    }

    @Test func balanceKeysComeFromTheRequest() {
        var head = HTTPRequestHead(method: "GET", target: "/chat?room=blue%20sky&x=1", headers: HTTPHeaders([("X-Tenant", "acme")]))
        let client = SocketAddress(host: "10.1.2.3", port: 5555)!
        #expect(testPool(balance: .hash(.clientIP)).balanceKey(client: client, head: head, identity: nil) == "10.1.2.3")
        #expect(testPool(balance: .hash(.identity)).balanceKey(client: client, head: head, identity: "ann") == "ann")
        #expect(testPool(balance: .hash(.header("x-tenant"))).balanceKey(client: client, head: head, identity: nil) == "acme")
        #expect(testPool(balance: .hash(.query("room"))).balanceKey(client: client, head: head, identity: nil) == "blue sky")
        #expect(testPool(balance: .roundRobin).balanceKey(client: client, head: head, identity: "ann") == nil)
        head.target = "/chat"
        #expect(testPool(balance: .hash(.query("room"))).balanceKey(client: client, head: head, identity: nil) == nil)
    }
}

