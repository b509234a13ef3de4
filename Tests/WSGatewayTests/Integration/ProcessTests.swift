import Foundation
import Testing

extension Integration {
    /// The `wsgate` executable as a whole: graceful shutdown on SIGTERM, the proxy and echo commands,
    /// and the commands that only print.
    @Suite struct Executable {
        @Test("SIGTERM: every open client gets close 1001 and the process exits 0 within the drain timeout")
        func gracefulShutdown() throws {
            let port = try TestEnvironment.freePort()
            let echoPort = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 2, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}],
                 "builtin_echo": "127.0.0.1:\(echoPort)"}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            let clients = try (0..<5).map { _ in try WSTestConnection.open(port: port) }
            for (index, client) in clients.enumerated() {
                try client.sendText("client \(index)")
                #expect(try client.readMessage().text == "client \(index)")
            }
            let signalled = Deadline.now()
            gateway.send(signal: SIGTERM)
            for client in clients {
                let (close, skipped) = try client.readClose(timeout: 5)
                #expect(close.closeCode == 1001, "\(close)")
                #expect(skipped.isEmpty)
                try client.sendClose(code: 1001)
                #expect(try client.socket.waitForEnd(timeout: 5))
            }
            let status = gateway.waitForExit(timeout: 12)
            #expect(status == 0, "\(gateway.output)")
            #expect(Deadline.now() - signalled < 10, "the drain should end as soon as the clients are gone")
            #expect((try? TestSocket.connect(port: port, timeout: 1)) == nil, "still accepting after exit")
        }

        @Test("wsgate proxy in front of wsgate echo relays messages")
        func proxyAndEchoCommands() throws {
            let echoPort = try TestEnvironment.freePort()
            let echo = try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(echoPort)", "--workers", "1"],
                                          readyPort: echoPort)
            let port = try TestEnvironment.freePort()
            let proxy = try GatewayProcess(arguments: ["proxy", "--from", "127.0.0.1:\(port)", "--to",
                                                       "ws://127.0.0.1:\(echoPort)/", "--workers", "1"], readyPort: port)
            let client = try WSTestConnection.open(port: port, path: "/anything")
            try client.send(opcode: Opcode.binary, Payloads.binary(size: 300_000))
            #expect(Payloads.difference(try client.readMessage().payload, Payloads.binary(size: 300_000)) == nil)
            #expect(try client.closeHandshake().closeCode == 1000)
            for process in [proxy, echo] {
                process.send(signal: SIGTERM)
                #expect(process.waitForExit(timeout: 12) == 0, "\(process.output)")
            }
        }

        @Test("wsgate proxy serves wss with --tls-cert and --tls-key")
        func proxyWithTLS() throws {
            let echoPort = try TestEnvironment.freePort()
            let echo = try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(echoPort)", "--workers", "1"],
                                          readyPort: echoPort)
            let port = try TestEnvironment.freePort()
            let proxy = try GatewayProcess(arguments: [
                "proxy", "--from", "127.0.0.1:\(port)", "--to", "ws://127.0.0.1:\(echoPort)/",
                "--tls-cert", try TestEnvironment.certificate("server-chain.pem"),
                "--tls-key", try TestEnvironment.certificate("server.key"),
            ], readyPort: port)
            let client = try WSTestConnection.open(port: port, tls: try TestEnvironment.clientTLS())
            try client.sendText("over TLS")
            #expect(try client.readMessage().text == "over TLS")
            #expect(try client.closeHandshake().closeCode == 1000)
            withExtendedLifetime((echo, proxy)) {}
        }

        @Test("wsgate check: a bad file fails naming the key path; a good one passes")
        func check() throws {
            let binary = try TestEnvironment.binaryPath
            let bad = try TemporaryConfig("""
                {"listeners": [{"name": "main", "address": "127.0.0.1:8080"}],
                 "routes": [{"name": "r", "path_prefix": "no-slash", "upstream": "ws://127.0.0.1:9000/"}]}
                """)
            let failed = try runProcess(binary, ["check", "--config", bad.path])
            #expect(failed.status != 0)
            #expect(failed.errors.contains("routes[0].path_prefix"), "\(failed.errors)")

            let unknownKey = try TemporaryConfig("""
                {"listeners": [{"name": "main", "address": "127.0.0.1:8080"}],
                 "routes": [{"name": "r", "upstream": "ws://127.0.0.1:9000/", "idle_timout": 5}]}
                """)
            let misspelt = try runProcess(binary, ["check", "--config", unknownKey.path])
            #expect(misspelt.status != 0)
            #expect(misspelt.errors.contains("idle_timout"), "\(misspelt.errors)")

            let good = try TemporaryConfig("""
                {"listeners": [{"name": "main", "address": "127.0.0.1:8080"}],
                 "routes": [{"name": "r", "upstream": "ws://127.0.0.1:9000/"}]}
                """)
            let passed = try runProcess(binary, ["check", "--config", good.path])
            #expect(passed.status == 0, "\(passed.errors)")

            let missing = try runProcess(binary, ["check", "--config", "/nonexistent/wsgate.json"])
            #expect(missing.status != 0)
            #expect(missing.errors.contains("/nonexistent/wsgate.json"))
        }

        @Test("wsgate --help lists the commands; version prints the version")
        func helpAndVersion() throws {
            let binary = try TestEnvironment.binaryPath
            let help = try runProcess(binary, ["--help"])
            #expect(help.status == 0)
            for command in ["run", "check", "proxy", "echo", "bench", "version"] {
                #expect(help.output.contains(command), "--help does not mention \(command): \(help.output)")
            }
            for arguments in [["version"], ["--version"]] {
                let version = try runProcess(binary, arguments)
                #expect(version.status == 0)
                #expect(version.output.range(of: #"^wsgate \d+\.\d+\.\d+"#, options: .regularExpression) != nil,
                        "\(arguments): \(version.output)")
            }
            let unknown = try runProcess(binary, ["frobnicate"])
            #expect(unknown.status != 0)
            #expect(!unknown.errors.isEmpty)
        }
    }
}
