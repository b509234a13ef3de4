import Foundation
import Testing

extension Integration {
    /// Connection limits at every scope and the new-connection rate, counted exactly under concurrency.
    @Suite struct EdgeConnectionLimits {
        /// What one client thread got: the connections it holds open and the refusals it saw.
        struct Attempts: Sendable {
            var open: [WSTestConnection] = []
            var refused = 0
            var refusalsWithoutRetryAfter = 0
            var problems: [String] = []
        }

        @Test("Per-IP limit 10 on two loops: of 200 concurrent upgrades exactly 10 pass, 190 get 503 with Retry-After; then new ones pass")
        func perIPLimitUnderConcurrency() throws {
            TestEnvironment.raiseFileLimit()
            let port = try TestEnvironment.freePort()
            let echoPort = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 2, "limits": {"max_connections_per_ip": 10},
                 "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}],
                 "builtin_echo": "127.0.0.1:\(echoPort)"}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            // The readiness probe was a connection from this address too: let the gateway see it close.
            usleep(100_000)
            let results = Mailbox<Attempts>()
            let start = DispatchSemaphore(value: 0)
            for _ in 0..<8 {
                Thread.detachNewThread {
                    start.wait()
                    results.put(Self.attempt(25, port: port))
                }
            }
            for _ in 0..<8 { start.signal() }
            var total = Attempts()
            for _ in 0..<8 {
                let part = results.take(timeout: 60) ?? Attempts(problems: ["a client thread did not finish"])
                total.open += part.open
                total.refused += part.refused
                total.refusalsWithoutRetryAfter += part.refusalsWithoutRetryAfter
                total.problems += part.problems
            }
            #expect(total.problems.isEmpty, "\(total.problems)")
            #expect(total.open.count == 10, "\(total.open.count) upgrades passed the per-IP limit of 10")
            #expect(total.refused == 190)
            #expect(total.refusalsWithoutRetryAfter == 0)

            for client in total.open { #expect(try client.closeHandshake().closeCode == 1000) }
            let reopened = try (0..<10).map { _ in try Self.openRetrying(port: port, for: 2) }
            let eleventh = try WSTestConnection.attempt(port: port, path: "/echo").1
            #expect(eleventh.status == 503, "\(eleventh)")
            for client in reopened {
                try client.sendText("again")
                #expect(try client.readMessage().text == "again")
            }
            withExtendedLifetime(gateway) {}
        }

        /// Makes `count` upgrade attempts one after another, keeping the upgraded connections open.
        static func attempt(_ count: Int, port: UInt16) -> Attempts {
            var attempts = Attempts()
            for _ in 0..<count {
                do {
                    let (connection, response, _) = try WSTestConnection.attempt(port: port, path: "/echo")
                    switch response.status {
                    case 101: attempts.open.append(connection)
                    case 503:
                        attempts.refused += 1
                        if response.header("Retry-After") != "1" { attempts.refusalsWithoutRetryAfter += 1 }
                    default: attempts.problems.append("unexpected \(response)")
                    }
                } catch {
                    attempts.problems.append("\(error)")
                }
            }
            return attempts
        }

        /// Opens an echo connection, retrying 503s for `seconds` while closed connections are released.
        static func openRetrying(port: UInt16, for seconds: Double) throws -> WSTestConnection {
            let deadline = Deadline.after(seconds)
            while true {
                let (connection, response, _) = try WSTestConnection.attempt(port: port, path: "/echo")
                if response.status == 101 { return connection }
                guard response.status == 503, !deadline.passed else {
                    throw TestSocketError(description: "expected 101 once the limit had room, got \(response)")
                }
                usleep(20_000)
            }
        }

        @Test("Global limit 6, listener limit 2 and route limit 3: each refuses the next connection with 503, labelled")
        func globalListenerAndRouteLimits() throws {
            let gateway = try PolicyGateway { echoPort in
                """
                {"limits": {"max_connections": 6},
                 "listeners": [{"name": "main", "address": "127.0.0.1:1"},
                               {"name": "small", "address": "127.0.0.1:2", "max_connections": 2}],
                 "routes": [{"name": "limited", "path_prefix": "/limited", "upstream": "ws://127.0.0.1:\(echoPort)/",
                             "max_connections": 3},
                            {"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}]}
                """
            }
            defer { gateway.stop() }
            let main = gateway.port, small = gateway.ports["small"]!
            // A refused connection holds its lease until the gateway has seen it close: wait for that
            // before counting on the room it leaves.
            var held = try (0..<3).map { _ in try WSTestConnection.open(port: main, path: "/limited") }
            try Self.expectRefusal(port: main, path: "/limited", label: "route")
            #expect(gateway.waitForConnections(held.count))
            held += try (0..<2).map { _ in try WSTestConnection.open(port: small, path: "/echo") }
            try Self.expectRefusal(port: small, path: "/echo", label: "listener")
            #expect(gateway.waitForConnections(held.count))
            held.append(try WSTestConnection.open(port: main, path: "/echo"))
            try Self.expectRefusal(port: main, path: "/echo", label: "global")
            #expect(gateway.waitForConnections(held.count))

            #expect(try held.removeLast().closeHandshake().closeCode == 1000)
            #expect(gateway.waitForConnections(5))
            let again = try WSTestConnection.open(port: main, path: "/echo")
            try again.sendText("room again")
            #expect(try again.readMessage().text == "room again")
        }

        @Test("Identity limit 2: alice's third connection gets 503, bob still passes")
        func identityLimit() throws {
            let files = try AuthFiles()
            let gateway = try PolicyGateway { echoPort in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "id", "path_prefix": "/id", "upstream": "ws://127.0.0.1:\(echoPort)/",
                             "max_connections_per_identity": 2, "auth": {"static_tokens_file": "\(files.tokens)"}}]}
                """
            }
            defer { gateway.stop() }
            let alice = [("Authorization", "Bearer alice-static-token")]
            let held = try (0..<2).map { _ in try WSTestConnection.open(port: gateway.port, path: "/id", headers: alice) }
            try Self.expectRefusal(port: gateway.port, path: "/id", headers: alice, label: "identity")
            let bob = try WSTestConnection.open(port: gateway.port, path: "/id", headers: [("Authorization", "Bearer bob-static-token")])
            try bob.sendText("bob")
            #expect(try bob.readMessage().text == "bob")
            withExtendedLifetime(held) {}
        }

        @Test("New connections per IP: 2/s with a burst of 5: five quick upgrades pass, the next get 429; after 0.6 s one passes")
        func newConnectionRate() throws {
            let gateway = try PolicyGateway { echoPort in
                """
                {"limits": {"new_connections_per_ip_per_second": 2, "new_connections_burst": 5},
                 "listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}]}
                """
            }
            defer { gateway.stop() }
            let statuses = try (0..<8).map { _ in
                let (connection, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/echo")
                if response.status == 429 { #expect(response.header("Retry-After") == "1", "\(response)") }
                connection.socket.close()
                return response.status
            }
            #expect(statuses == [101, 101, 101, 101, 101, 429, 429, 429])
            usleep(600_000)
            let later = try WSTestConnection.attempt(port: gateway.port, path: "/echo").1
            #expect(later.status == 101, "\(later)")
        }

        /// Expects a 503 with Retry-After whose body names the limit `label`.
        static func expectRefusal(port: UInt16, path: String, headers: [(String, String)] = [], label: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
            let response = try WSTestConnection.attempt(port: port, path: path, headers: headers).1
            #expect(response.status == 503, "\(label): \(response)", sourceLocation: sourceLocation)
            #expect(response.header("Retry-After") == "1", "\(label): \(response)", sourceLocation: sourceLocation)
            #expect(response.bodyText.contains("(\(label) limit)"), "\(label): \(response)", sourceLocation: sourceLocation)
        }
    }
}
