import Foundation
import Glibc
import Testing

extension Integration {
    /// Pools in the `wsgate` executable: the proxy flags, and a log line for every health transition.
    @Suite struct PoolExecutable {
        private static func echo(port: UInt16) throws -> GatewayProcess {
            try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(port)", "--workers", "1"], readyPort: port)
        }

        /// The `upstream_state` lines the process logged so far, as (upstream, from, to).
        private static func transitions(_ process: GatewayProcess) -> [(upstream: String, from: String, to: String)] {
            process.output.split(separator: "\n").compactMap { line in
                guard line.contains(#""event":"upstream_state""#),
                      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let upstream = object["upstream"] as? String, let from = object["from"] as? String,
                      let to = object["to"] as? String else { return nil }
                return (upstream, from, to)
            }
        }

        @Test("wsgate run: a killed backend is ejected, checked down and back up, each transition logged; clients never fail")
        func transitionsAreLogged() throws {
            let ports = try (0..<3).map { _ in try TestEnvironment.freePort() }
            var backends = try [Self.echo(port: ports[1]), Self.echo(port: ports[2])]
            let config = try TemporaryConfig("""
                {"workers": 2, "listeners": [{"name": "main", "address": "127.0.0.1:\(ports[0])"}],
                 "routes": [{"name": "r", "upstreams": ["ws://127.0.0.1:\(ports[1])/", "ws://127.0.0.1:\(ports[2])/"],
                             "health_check": {"kind": "ws", "interval": 0.1, "timeout": 0.2, "rise": 2, "fall": 2},
                             "passive": {"backoff": 0.3}}]}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: ports[0])
            let victim = "127.0.0.1:\(ports[2])"
            func visitAll(_ count: Int) throws {
                for index in 0..<count {
                    let client = try WSTestConnection.open(port: ports[0], path: "/")
                    try client.sendText("hello \(index)")
                    #expect(try client.readMessage(timeout: 5).text == "hello \(index)")
                    try client.closeHandshake()
                }
            }
            try visitAll(4)
            backends[1].send(signal: SIGKILL)
            _ = backends[1].waitForExit(timeout: 5)
            try visitAll(6)
            let down = Deadline.after(5)
            while !Self.transitions(gateway).contains(where: { $0.upstream == victim && $0.to == "down" }) && !down.passed {
                usleep(20_000)
            }
            backends[1] = try Self.echo(port: ports[2])
            let up = Deadline.after(5)
            while !Self.transitions(gateway).contains(where: { $0.upstream == victim && $0.to == "up" }) && !up.passed {
                usleep(20_000)
            }
            let logged = Self.transitions(gateway).filter { $0.upstream == victim }.map { "\($0.from)->\($0.to)" }
            #expect(logged == ["up->ejected", "ejected->down", "down->up"], "\(gateway.output)")
            try visitAll(4)
            gateway.send(signal: SIGTERM)
            #expect(gateway.waitForExit(timeout: 12) == 0)
        }

        @Test("wsgate proxy --to twice --balance --health-check spreads over both echo backends")
        func proxyPoolFlags() throws {
            let ports = try (0..<4).map { _ in try TestEnvironment.freePort() }
            let backends = try [Self.echo(port: ports[1]), Self.echo(port: ports[2])]
            let proxy = try GatewayProcess(arguments: [
                "proxy", "--from", "127.0.0.1:\(ports[0])", "--to", "ws://127.0.0.1:\(ports[1])/",
                "--to", "ws://127.0.0.1:\(ports[2])/", "--balance", "round-robin", "--health-check", "tcp",
                "--workers", "1", "--admin", "127.0.0.1:\(ports[3])",
            ], readyPort: ports[0])
            for index in 0..<6 {
                let client = try WSTestConnection.open(port: ports[0], path: "/")
                try client.sendText("m\(index)")
                #expect(try client.readMessage(timeout: 5).text == "m\(index)")
                try client.closeHandshake()
            }
            let metrics = try PrometheusExposition(parsing: try AdminHTTP.get(port: ports[3], path: "/metrics").bodyText)
            for port in ports[1...2] {
                #expect(metrics.value("wsgate_upstream_connections_total", ["route": "proxy", "upstream": "127.0.0.1:\(port)"]) == 3)
            }
            withExtendedLifetime((backends, proxy)) {}
        }
    }
}
