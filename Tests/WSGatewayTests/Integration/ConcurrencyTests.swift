import Foundation
import Testing
import WSTLS

extension Integration {
    /// Many connections at once, each with its own traffic, through one in-process gateway and echo.
    @Suite struct Concurrency {
        static let threads = 4

        @Test("1,000 concurrent connections each echo 100 messages correctly")
        func thousandConnections() throws {
            try run(connections: 1_000, messages: 100, tls: false)
        }

        @Test("200 concurrent TLS connections each echo 50 messages correctly")
        func tlsConnections() throws {
            try run(connections: 200, messages: 50, tls: true)
        }

        private func run(connections: Int, messages: Int, tls: Bool) throws {
            TestEnvironment.raiseFileLimit()
            // Client sockets here, two per connection in the gateway, one in the echo, plus slack.
            try #require(TestEnvironment.fileLimit >= connections * 4 + 200, "open-file limit \(TestEnvironment.fileLimit)")
            let gateway = try TestGateway(tls: tls, loops: 2)
            defer { gateway.stop() }
            let target = Target(port: tls ? gateway.tlsPort! : gateway.port, tls: tls ? try TestEnvironment.clientTLS() : nil,
                                messages: messages)
            let opened = Mailbox<Int>()
            let go = DispatchSemaphore(value: 0)
            let results = Mailbox<String?>()
            for thread in 0..<Self.threads {
                Thread.detachNewThread {
                    results.put(Self.runClients(thread: thread, count: connections / Self.threads, target: target,
                                                opened: opened, go: go))
                }
            }
            var open = 0
            for _ in 0..<Self.threads { open += opened.take(timeout: 120) ?? 0 }
            #expect(open == connections)
            #expect(gateway.server.connectionCount == connections, "all connections open at once")
            for _ in 0..<Self.threads { go.signal() }
            for _ in 0..<Self.threads {
                let outcome = results.take(timeout: 300)
                #expect(outcome == .some(nil), "\(String(describing: outcome))")
            }
            let deadline = Deadline.after(5)
            while gateway.server.connectionCount > 0 && !deadline.passed { usleep(10_000) }
            #expect(gateway.server.connectionCount == 0, "every pair finished after the close handshakes")
        }

        /// Where the clients connect and how much each sends.
        private struct Target: @unchecked Sendable {
            var port: UInt16
            /// Thread-safe for creating sessions (see TLSClientContext).
            var tls: TLSClientContext?
            var messages: Int
        }

        /// One thread's share: opens `count` connections, reports, waits for `go`, then runs rounds of one
        /// message per connection (all sent, then all read) and closes. Returns the first problem, if any.
        private static func runClients(thread: Int, count: Int, target: Target, opened: Mailbox<Int>,
                                       go: DispatchSemaphore) -> String? {
            var clients: [WSTestConnection] = []
            do {
                for _ in 0..<count {
                    clients.append(try WSTestConnection.open(port: target.port, tls: target.tls, timeout: 30))
                }
            } catch {
                opened.put(clients.count)
                return "thread \(thread): opening connection \(clients.count): \(error)"
            }
            opened.put(clients.count)
            go.wait()
            do {
                for round in 0..<target.messages {
                    for (index, client) in clients.enumerated() {
                        let opcode = round % 2 == 0 ? Opcode.text : Opcode.binary
                        try client.send(opcode: opcode, message(thread: thread, client: index, round: round))
                    }
                    for (index, client) in clients.enumerated() {
                        let reply = try client.readMessage(timeout: 30)
                        let expected = message(thread: thread, client: index, round: round)
                        guard reply.payload == expected, reply.opcode == (round % 2 == 0 ? Opcode.text : Opcode.binary) else {
                            return "thread \(thread) client \(index) round \(round): got \(reply.text)"
                        }
                    }
                }
                for client in clients {
                    guard try client.closeHandshake(timeout: 10).closeCode == 1000 else { return "bad close code" }
                }
            } catch {
                return "thread \(thread): \(error)"
            }
            return nil
        }

        private static func message(thread: Int, client: Int, round: Int) -> [UInt8] {
            Array("t\(thread) c\(client) r\(round) ".utf8) + [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: client % 64)
        }
    }
}
