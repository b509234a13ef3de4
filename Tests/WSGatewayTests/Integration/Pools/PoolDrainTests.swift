import Foundation
import Glibc
import Testing
@testable import WSGateway
import WSIO

extension Integration {
    /// An operator drains a member through the admin listener; reloads keep pools serving.
    @Suite struct PoolDraining {
        @Test("draining: no new connections, old ones carry on and get 1012 after the grace; undrain restores")
        func drainAndUndrain() throws {
            let token = try TemporaryTokenFile()
            let backends = try (0..<2).map { try NamedBackend(name: "b\($0)") }
            let gateway = try PoolGateway(tokenFile: token.path, PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["\(backends[0].url)", "\(backends[1].url)"], "drain_grace": 1}]
                """))
            defer { gateway.stop() }
            let bearer = [("Authorization", "Bearer \(token.token)")]
            let drainPath = "/upstreams/r/127.0.0.1:\(backends[0].port)/drain"
            let old = try (0..<10).map { _ in try NamedClient.open(port: gateway.port) }
            #expect(old.filter { $0.backend == "b0" }.count == 5)

            #expect(try gateway.adminRequest("POST", drainPath).status == 401, "token-protected like the rest")
            #expect(try gateway.adminRequest("GET", drainPath, headers: bearer).status == 405)
            #expect(try gateway.adminRequest("POST", "/upstreams/r/127.0.0.1:1/drain", headers: bearer).status == 404)
            let drained = try gateway.adminRequest("POST", drainPath, headers: bearer)
            let drainedAt = Deadline.now()
            #expect(drained.status == 200)
            #expect(drained.bodyText.contains(#""state":"draining""#), "\(drained.bodyText)")

            let new = try (0..<10).map { _ in try NamedClient.open(port: gateway.port) }
            #expect(new.allSatisfy { $0.backend == "b1" }, "no new connection goes to a draining member")
            for client in old { #expect(try client.echoes("still here")) }

            for client in old where client.backend == "b0" {
                let (close, _) = try client.connection.readClose(timeout: 5)
                #expect(close.closeCode == 1012)
                #expect(close.closeReason == "service restart")
                try client.connection.sendClose(code: 1012)
            }
            let closedAfter = Deadline.now() - drainedAt
            #expect(closedAfter > 0.7 && closedAfter < 2.5, "closed \(closedAfter) s after the drain (grace 1 s)")
            for client in old + new where client.backend == "b1" { #expect(try client.echoes("unaffected")) }
            #expect(gateway.wait(timeout: 5) { backends[0].liveConnections == 0 })

            let metrics = try PrometheusExposition(parsing: try gateway.adminRequest("GET", "/metrics", headers: bearer).bodyText)
            #expect(metrics.value("wsgate_upstream_state", ["route": "r", "upstream": "127.0.0.1:\(backends[0].port)",
                                                            "state": "draining"]) == 1)

            let undrained = try gateway.adminRequest("POST", "/upstreams/r/127.0.0.1:\(backends[0].port)/undrain", headers: bearer)
            #expect(undrained.bodyText.contains(#""state":"up""#), "\(undrained.bodyText)")
            let names = try (0..<4).map { _ in try NamedClient.visit(port: gateway.port) }
            #expect(names.filter { $0 == "b0" }.count == 2)
            for client in old + new { client.connection.socket.close() }
        }

        @Test("a reload rebuilds the pools: new members serve, unchanged ones keep their drain state")
        func reloadRebuildsPools() throws {
            let backends = try (0..<3).map { try NamedBackend(name: "b\($0)") }
            func config(_ members: [NamedBackend]) -> String {
                PoolGateway.config(routes: #"[{"name": "r", "upstreams": [\#(members.map { "\"\($0.url)\"" }.joined(separator: ","))]}]"#)
            }
            let gateway = try PoolGateway(config(Array(backends.prefix(2))))
            defer { gateway.stop() }
            let kept = try NamedClient.open(port: gateway.port)
            #expect(try gateway.adminRequest("POST", "/upstreams/r/127.0.0.1:\(backends[1].port)/drain").status == 200)

            try gateway.reload(config(backends))
            #expect(gateway.wait(timeout: 5) { gateway.pool("r").members.count == 3 })
            usleep(50_000)
            let names = try (0..<6).map { _ in try NamedClient.visit(port: gateway.port) }
            #expect(Set(names) == ["b0", "b2"], "b1 is still draining after the reload: \(names)")
            #expect(try kept.echoes("across the reload"))
            #expect(gateway.pool("r").members[1].state(nowMilliseconds: monotonicMilliseconds()) == .draining)
        }
    }
}
