import Glibc
import Testing

extension Integration {
    /// The client handshake deadline counts from the accept, however long the gateway sat idle before.
    @Suite struct EdgeHandshakeDeadline {
        static let timeout = 1.0

        /// One loop (so nothing else keeps its timers moving), handshake_timeout 1 s, then `idle` seconds
        /// with no connection at all.
        static func idleGateway(idle: Double) throws -> PolicyGateway {
            let gateway = try PolicyGateway(loops: 1) { echoPort in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "defaults": {"handshake_timeout": \(timeout)},
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}]}
                """
            }
            usleep(useconds_t(idle * 1_000_000))
            return gateway
        }

        @Test("After 1.5 s idle (longer than the 1 s handshake timeout), a normal client still upgrades and echoes")
        func normalClientAfterIdle() throws {
            let gateway = try Self.idleGateway(idle: 1.5)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, timeout: 3)
            try client.sendText("after a quiet spell")
            #expect(try client.readMessage().text == "after a quiet spell")
            #expect(try client.closeHandshake().closeCode == 1000)
        }

        @Test("After 0.5 s idle, a stalled client is cut at its own 1 s deadline, not earlier")
        func stalledClientAfterIdle() throws {
            let gateway = try Self.idleGateway(idle: 0.5)
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            let connected = Deadline.now()
            try socket.send("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            #expect(try socket.waitForEnd(timeout: 3))
            let cut = Deadline.now() - connected
            #expect(cut >= Self.timeout - 0.05 && cut < Self.timeout + 0.5, "cut after \(cut) s")
        }
    }
}
