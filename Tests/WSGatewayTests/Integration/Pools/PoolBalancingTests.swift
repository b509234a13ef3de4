import Foundation
import Synchronization
import Testing
@testable import WSGateway
import WSIO

extension Integration {
    /// Real backends behind one route: how new connections are spread.
    @Suite struct PoolBalancing {
        /// Runs `body(index)` for `count` indices on `threads` threads; returns the results in index order.
        static func parallel<T: Sendable>(_ count: Int, threads: Int = 4, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
            let results = Mutex<[Int: Result<T, any Error>]>([:])
            let group = DispatchGroup()
            for thread in 0..<threads {
                group.enter()
                Thread.detachNewThread {
                    for index in stride(from: thread, to: count, by: threads) {
                        let result = Result { try body(index) }
                        results.withLock { $0[index] = result }
                    }
                    group.leave()
                }
            }
            group.wait()
            return try results.withLock { all in try (0..<count).map { try all[$0]!.get() } }
        }

        @Test("weighted round robin honours 3:1 over 4,000 connections")
        func weightedRoundRobin() throws {
            let heavy = try NamedBackend(name: "heavy")
            let light = try NamedBackend(name: "light")
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": [{"url": "\(heavy.url)", "weight": 3}, {"url": "\(light.url)", "weight": 1}]}]
                """))
            defer { gateway.stop() }
            let names = try Self.parallel(4_000) { _ in try NamedClient.visit(port: gateway.port) }
            let heavyCount = names.filter { $0 == "heavy" }.count
            let lightCount = names.filter { $0 == "light" }.count
            #expect(heavyCount + lightCount == 4_000)
            #expect(abs(heavyCount - 3_000) <= 150, "heavy got \(heavyCount)")
            #expect(abs(lightCount - 1_000) <= 50, "light got \(lightCount)")
        }

        @Test("least connections spreads 300 long-lived connections within 10% and refills the emptiest")
        func leastConnections() throws {
            TestEnvironment.raiseFileLimit()
            let backends = try (0..<3).map { try NamedBackend(name: "b\($0)") }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "balance": "least-conn", "upstreams": [\(backends.map { "\"\($0.url)\"" }.joined(separator: ","))]}]
                """))
            defer { gateway.stop() }
            var clients = try Self.parallel(300) { _ in try NamedClient.open(port: gateway.port) }
            for name in ["b0", "b1", "b2"] {
                let count = clients.filter { $0.backend == name }.count
                #expect((90...110).contains(count), "\(name) holds \(count) of 300")
            }
            // Half of b0's connections end: the next ones go to b0 until it is level again.
            let leaving = clients.filter { $0.backend == "b0" }.prefix(50)
            for client in leaving { try client.connection.closeHandshake(timeout: 5) }
            clients.removeAll { client in leaving.contains { $0.connection === client.connection } }
            #expect(gateway.wait(timeout: 5) { gateway.pool("r").members[0].connections.load(ordering: .relaxed) <= 60 })
            let refill = try (0..<40).map { _ in try NamedClient.open(port: gateway.port) }
            #expect(refill.allSatisfy { $0.backend == "b0" }, "\(refill.map(\.backend))")
            for client in clients + refill { client.connection.socket.close() }
        }

        @Test("consistent hashing on identity: when one of three leaves only its identities move, and they come back")
        func consistentHashing() throws {
            let directory = try TemporaryDirectory()
            let tokens = try directory.createFile("tokens", contents: (0..<300).map { "token-\($0) user-\($0)\n" }.joined())
            let backends = try (0..<3).map { try NamedBackend(name: "b\($0)") }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "balance": "hash-identity", "auth": {"static_tokens_file": "\(tokens)"},
                  "health_check": {"kind": "tcp", "interval": 0.1, "timeout": 0.1, "rise": 1, "fall": 1},
                  "passive": {"backoff": 0.2}, "upstreams": [\(backends.map { "\"\($0.url)\"" }.joined(separator: ","))]}]
                """))
            defer { gateway.stop() }
            let port = gateway.port
            let map: @Sendable () throws -> [String] = {
                try Self.parallel(300) { index in
                    try NamedClient.visit(port: port, headers: [("Authorization", "Bearer token-\(index)")])
                }
            }
            let before = try map()
            #expect(try map() == before, "the same identity reaches the same backend")
            let shares = backends.map { backend in before.filter { $0 == backend.name }.count }
            #expect(shares.allSatisfy { $0 >= 60 }, "every backend holds a fair share: \(shares)")

            backends[1].kill()
            let during = try map()
            let stayed = zip(before, during).filter { $0 == $1 }.count
            #expect(zip(before, during).allSatisfy { $0 == "b1" ? $1 != "b1" : $0 == $1 },
                    "identities of b0 and b2 stay where they were; b1's move")
            // Ideal consistent hashing keeps (N-1)/N = 2/3 on average; one draw of 300 keys varies by a few %.
            #expect(Double(stayed) / 300 >= 0.55, "\(stayed) of 300 stayed")
            #expect(Set(zip(before, during).filter { $0.0 == "b1" }.map(\.1)) == ["b0", "b2"], "b1's identities spread over both")

            try backends[1].restart()
            #expect(gateway.wait(timeout: 5) { gateway.pool("r").members[1].isAvailable(nowMilliseconds: monotonicMilliseconds()) })
            #expect(try map() == before, "b1 gets its identities back")
        }
    }
}
