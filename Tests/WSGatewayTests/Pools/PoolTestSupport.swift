@testable import WSGateway
import WSIO

/// A pool over `127.0.0.1` ports 9001… (never connected to) for balancer tests.
func testPool(weights: [Int] = [1, 1, 1], balance: BalancePolicy = .roundRobin,
              passive: PassiveHealthConfig = .standard, healthCheck: HealthCheckConfig? = nil,
              previous: UpstreamPool? = nil) -> UpstreamPool {
    var config = UpstreamPoolConfig(members: weights.enumerated().map { index, weight in
        PoolMemberConfig(url: UpstreamURL(secure: false, host: "127.0.0.1", port: UInt16(9001 + index), path: "/"),
                         weight: weight)
    })
    config.balance = balance
    config.passive = passive
    config.healthCheck = healthCheck
    let addresses = config.members.map { SocketAddress(host: "127.0.0.1", port: $0.url.port)! }
    return UpstreamPool(route: "r", config: config, addresses: addresses, tls: nil, previous: previous)
}

extension UpstreamPool {
    /// Picks `count` times (no key, nothing tried) and counts the picks per position.
    func tally(_ count: Int, key: (Int) -> String? = { _ in nil }, now: UInt64 = 1_000) -> [Int] {
        var counts = [Int](repeating: 0, count: members.count)
        for index in 0..<count {
            if let position = pick(key: key(index), tried: 0, nowMilliseconds: now) { counts[position] += 1 }
        }
        return counts
    }
}
