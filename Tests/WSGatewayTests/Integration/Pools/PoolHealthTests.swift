import Foundation
import Glibc
import Synchronization
import Testing
@testable import WSGateway
import WSIO

extension Integration {
    /// Backends that die, come back, refuse or misbehave: active checks, passive ejection and retries.
    @Suite struct PoolHealth {
        @Test("three backends under steady load: one killed leaves within its fall threshold, no handshake fails, it rejoins after rise")
        func killAndRestartUnderLoad() throws {
            let backends = try (0..<3).map { try NamedBackend(name: "b\($0)") }
            // Checks every 100 ms: down after 3 failures (~0.3 s plus timeouts), up after 3 passes.
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": [\(backends.map { "\"\($0.url)\"" }.joined(separator: ","))],
                  "health_check": {"kind": "ws", "interval": 0.1, "timeout": 0.1, "rise": 3, "fall": 3, "ping": true},
                  "passive": {"backoff": 0.2}}]
                """))
            defer { gateway.stop() }
            let load = SteadyLoad(port: gateway.port, threads: 3)
            let start = load.start
            let member = gateway.pool("r").members[1]

            usleep(500_000)
            let killedAt = Deadline.now() - start
            backends[1].kill()
            #expect(gateway.wait(timeout: 3) { member.state(nowMilliseconds: monotonicMilliseconds()) == .down })
            let downAt = Deadline.now() - start
            usleep(700_000)
            let restartedAt = Deadline.now() - start
            try backends[1].restart()
            #expect(gateway.wait(timeout: 3) { member.state(nowMilliseconds: monotonicMilliseconds()) == .up })
            let upAt = Deadline.now() - start
            usleep(500_000)
            let all = load.finish()
            #expect(all.count > 300, "steady load made \(all.count) visits")
            let failed = all.filter { $0.handshakeFailed != nil }
            #expect(failed.isEmpty, "handshakes failed: \(failed.prefix(5).map { $0.handshakeFailed! })")
            #expect(downAt - killedAt < 1.0, "down \(downAt - killedAt) s after the kill")
            // Nothing reaches b1 while it is dead; it serves again once it rose.
            let whileDead = all.filter { $0.at > killedAt + 0.05 && $0.at < restartedAt }
            #expect(!whileDead.isEmpty && whileDead.allSatisfy { $0.backend != "b1" })
            #expect(upAt - restartedAt >= 0.15, "rise needs 3 passing checks 100 ms apart, took \(upAt - restartedAt) s")
            #expect(upAt - restartedAt < 1.5, "up \(upAt - restartedAt) s after the restart")
            let afterRise = all.filter { $0.at > upAt + 0.05 }
            #expect(afterRise.contains { $0.backend == "b1" }, "b1 rejoined")
            #expect(member.checksFailed.load(ordering: .relaxed) >= 3)
            #expect(gateway.pool("r").retriesTotal.load(ordering: .relaxed) <= 10, "the kill cost few retries")
        }

        @Test("no healthy upstream: 503 at once with Retry-After; the last failure when every attempt failed")
        func noHealthyUpstream() throws {
            let deadPorts = try (0..<2).map { _ in try TestGateway.deadPort() }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["ws://127.0.0.1:\(deadPorts[0])/", "ws://127.0.0.1:\(deadPorts[1])/"],
                  "passive": {"backoff": 5}}]
                """))
            defer { gateway.stop() }
            // Both refuse: the retry tries the second, both are ejected, the client learns the real cause.
            let (_, first, _) = try WSTestConnection.attempt(port: gateway.port, path: "/")
            #expect(first.status == 502)
            #expect(gateway.pool("r").members.allSatisfy { $0.state(nowMilliseconds: monotonicMilliseconds()) == .ejected })
            let started = Deadline.now()
            let (connection, second, _) = try WSTestConnection.attempt(port: gateway.port, path: "/")
            #expect(second.status == 503)
            #expect(Deadline.now() - started < 0.5)
            let retryAfter = second.header("Retry-After").flatMap(Int.init)
            #expect(retryAfter.map { (4...5).contains($0) } == true, "Retry-After \(second.header("Retry-After") ?? "missing")")
            #expect(second.bodyText.contains("no healthy upstream"))
            #expect(try connection.socket.waitForEnd(timeout: 5))
        }

        @Test("a 5xx answer is retried on another member, unseen by the client, and ejects the bad one")
        func badAnswers() throws {
            let good = try NamedBackend(name: "good")
            let failing = try ScriptedUpstream { peer in
                _ = try peer.readRequest()
                try peer.socket.send("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["ws://127.0.0.1:\(failing.port)/", "\(good.url)"]}]
                """))
            defer { gateway.stop() }
            for _ in 0..<20 { #expect(try NamedClient.visit(port: gateway.port) == "good") }
            let bad = gateway.pool("r").members[0]
            #expect(bad.ejectionsTotal.load(ordering: .relaxed) == 1)
            #expect(bad.failuresTotal.load(ordering: .relaxed) == 1, "ejected after its first 503, never tried again")
            #expect(gateway.pool("r").retriesTotal.load(ordering: .relaxed) == 1)
        }

        @Test("a 403 from the upstream is final: no retry, no ejection")
        func forbiddenIsFinal() throws {
            let good = try NamedBackend(name: "good")
            let forbidding = try ScriptedUpstream { peer in
                _ = try peer.readRequest()
                try peer.socket.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["ws://127.0.0.1:\(forbidding.port)/", "\(good.url)"]}]
                """))
            defer { gateway.stop() }
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try WSTestConnection.attempt(port: gateway.port, path: "/").1.status) }
            #expect(statuses.sorted() == [101, 101, 502, 502], "round robin: two reach the 403 upstream and get 502")
            #expect(gateway.pool("r").members[0].ejectionsTotal.load(ordering: .relaxed) == 0)
            #expect(gateway.pool("r").retriesTotal.load(ordering: .relaxed) == 0)
        }

        @Test("HTTP checks: a 500 takes a member down after fall, a 200 brings it back after rise; metrics count them")
        func httpChecks() throws {
            let backends = try (0..<2).map { try NamedBackend(name: "b\($0)") }
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["\(backends[0].url)", "\(backends[1].url)"],
                  "health_check": {"kind": "http", "path": "/healthz", "interval": 0.05, "timeout": 0.5, "rise": 2, "fall": 2}}]
                """))
            defer { gateway.stop() }
            let member = gateway.pool("r").members[0]
            backends[0].healthStatus.store(500, ordering: .relaxed)
            #expect(gateway.wait(timeout: 3) { member.state(nowMilliseconds: monotonicMilliseconds()) == .down })
            for _ in 0..<6 { #expect(try NamedClient.visit(port: gateway.port) == "b1") }
            backends[0].healthStatus.store(200, ordering: .relaxed)
            #expect(gateway.wait(timeout: 3) { member.state(nowMilliseconds: monotonicMilliseconds()) == .up })
            let names = try (0..<6).map { _ in try NamedClient.visit(port: gateway.port) }
            #expect(names.filter { $0 == "b0" }.count == 3)
            let metrics = try PrometheusExposition(parsing: try gateway.adminRequest("GET", "/metrics").bodyText)
            let labels = ["route": "r", "upstream": "127.0.0.1:\(backends[0].port)"]
            #expect((metrics.value("wsgate_upstream_checks_total", labels.merging(["result": "failed"]) { $1 }) ?? 0) >= 2)
            #expect((metrics.value("wsgate_upstream_checks_total", labels.merging(["result": "passed"]) { $1 }) ?? 0) >= 2)
            #expect(metrics.value("wsgate_upstream_state", labels.merging(["state": "up"]) { $1 }) == 1)
            #expect(metrics.value("wsgate_upstream_up", labels) == 1)
            #expect(metrics.value("wsgate_upstream_connections_total", labels) == 3)
        }
    }
}

/// Visits a route from several threads until finished: open, read the backend's name, close. A failure
/// after the 101 (a backend killed under an open connection) is not a handshake failure.
final class SteadyLoad: Sendable {
    /// One visit: when it began (seconds since `start`), and the backend or why the handshake failed.
    struct Visit: Sendable {
        var at: Double
        var backend: String?
        var handshakeFailed: String?
    }

    let start = Deadline.now()
    private let stop = Atomic<Bool>(false)
    private let visits = Mutex<[Visit]>([])
    private let group = DispatchGroup()

    init(port: UInt16, threads: Int) {
        for _ in 0..<threads {
            group.enter()
            Thread.detachNewThread { [self] in
                while !stop.load(ordering: .relaxed) { visit(port: port) }
                group.leave()
            }
        }
    }

    private func visit(port: UInt16) {
        let began = Deadline.now() - start
        let visit: Visit
        do {
            let (connection, response, _) = try WSTestConnection.attempt(port: port, path: "/", timeout: 5)
            if response.status == 101 {
                visit = Visit(at: began, backend: try? connection.readMessage(timeout: 5).text)
                _ = try? connection.closeHandshake(timeout: 2)
            } else {
                visit = Visit(at: began, handshakeFailed: "HTTP \(response.status)")
            }
        } catch {
            visit = Visit(at: began, handshakeFailed: "\(error)")
        }
        visits.withLock { $0.append(visit) }
    }

    /// Stops the threads and returns every visit.
    func finish() -> [Visit] {
        stop.store(true, ordering: .relaxed)
        group.wait()
        return visits.withLock { $0 }
    }
}
