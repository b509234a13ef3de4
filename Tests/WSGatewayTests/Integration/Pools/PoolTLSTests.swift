import Foundation
import Testing
@testable import WSGateway
import WSIO

extension Integration {
    /// `wss://` upstreams: verified against the configured CA with SNI and the upstream's name.
    @Suite struct PoolUpstreamTLS {
        @Test("a wss:// upstream signed by the configured CA works (and passes ws checks with ping); a wrong CA or name gives 502")
        func upstreamTLS() throws {
            let chain = try TestEnvironment.certificate("server-chain.pem")
            let key = try TestEnvironment.certificate("server.key")
            let servedPort = try TestEnvironment.freePort()
            let otherNamePort = try TestEnvironment.freePort()
            let served = try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(servedPort)", "--workers", "1",
                                                        "--tls-cert", chain, "--tls-key", key], readyPort: servedPort)
            let otherName = try GatewayProcess(arguments: [
                "echo", "--listen", "127.0.0.1:\(otherNamePort)", "--workers", "1",
                "--tls-cert", try TestEnvironment.certificate("alt.pem"), "--tls-key", try TestEnvironment.certificate("alt.key"),
            ], readyPort: otherNamePort)
            let ca = try TestEnvironment.certificate("ca.pem")
            let otherCA = try TestEnvironment.certificate("other-ca.pem")
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "good", "path_prefix": "/good", "upstreams": ["wss://127.0.0.1:\(servedPort)/"], "upstream_ca_file": "\(ca)",
                  "health_check": {"kind": "ws", "ping": true, "interval": 0.05, "timeout": 1}},
                 {"name": "wrongca", "path_prefix": "/wrongca", "upstream": "wss://127.0.0.1:\(servedPort)/", "upstream_ca_file": "\(otherCA)"},
                 {"name": "wrongname", "path_prefix": "/wrongname", "upstream": "wss://127.0.0.1:\(otherNamePort)/", "upstream_ca_file": "\(ca)"}]
                """))
            defer { gateway.stop() }

            let client = try WSTestConnection.open(port: gateway.port, path: "/good")
            try client.sendText("over TLS")
            #expect(try client.readMessage(timeout: 5).text == "over TLS")
            try client.closeHandshake()
            let member = gateway.pool("good").members[0]
            #expect(gateway.wait(timeout: 5) { member.checksPassed.load(ordering: .relaxed) >= 2 })
            #expect(member.checksFailed.load(ordering: .relaxed) == 0)

            for path in ["/wrongca", "/wrongname"] {
                for _ in 0..<2 {
                    let (connection, response, _) = try WSTestConnection.attempt(port: gateway.port, path: path)
                    #expect(response.status == 502, "\(path): \(response)")
                    #expect(try connection.socket.waitForEnd(timeout: 5))
                }
            }
            #expect(gateway.pool("wrongca").members[0].failuresTotal.load(ordering: .relaxed) == 2)
            withExtendedLifetime((served, otherName)) {}
        }

        @Test("a wss:// member failing verification is retried on the next one; the client never sees it")
        func verificationFailureIsRetried() throws {
            let chain = try TestEnvironment.certificate("server-chain.pem")
            let key = try TestEnvironment.certificate("server.key")
            let altPort = try TestEnvironment.freePort()
            let goodPort = try TestEnvironment.freePort()
            let alt = try GatewayProcess(arguments: [
                "echo", "--listen", "127.0.0.1:\(altPort)", "--workers", "1",
                "--tls-cert", try TestEnvironment.certificate("alt.pem"), "--tls-key", try TestEnvironment.certificate("alt.key"),
            ], readyPort: altPort)
            let good = try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(goodPort)", "--workers", "1",
                                                      "--tls-cert", chain, "--tls-key", key], readyPort: goodPort)
            let gateway = try PoolGateway(PoolGateway.config(routes: """
                [{"name": "r", "upstreams": ["wss://127.0.0.1:\(altPort)/", "wss://127.0.0.1:\(goodPort)/"],
                  "upstream_ca_file": "\(try TestEnvironment.certificate("ca.pem"))"}]
                """))
            defer { gateway.stop() }
            for index in 0..<4 {
                let client = try WSTestConnection.open(port: gateway.port, path: "/")
                try client.sendText("message \(index)")
                #expect(try client.readMessage(timeout: 5).text == "message \(index)")
                try client.closeHandshake()
            }
            #expect(gateway.pool("r").members[0].state(nowMilliseconds: monotonicMilliseconds()) == .ejected)
            withExtendedLifetime((alt, good)) {}
        }
    }
}
