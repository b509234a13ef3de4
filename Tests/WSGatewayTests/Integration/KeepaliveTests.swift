import Glibc
import Testing
import WSGateway

extension Integration {
    /// The gateway's own pings, pong timeout and idle timeout (short timers: 0.2 s pings, 0.3 s idle).
    @Suite struct Keepalive {
        static let fastPings = RoutePolicy.with {
            $0.pingInterval = 200
            $0.pongTimeout = 200
        }

        @Test("a client that never answers pings gets close 1011 \"keepalive timeout\"")
        func unansweredPings() throws {
            let gateway = try TestGateway(echoPolicy: Self.fastPings)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            let started = Deadline.now()
            let (close, skipped) = try client.readClose(timeout: 3)
            let elapsed = Deadline.now() - started
            #expect(close.closeCode == 1011)
            #expect(close.closeReason == "keepalive timeout")
            #expect(!skipped.isEmpty && skipped.allSatisfy { $0.opcode == Opcode.ping && !$0.masked }, "\(skipped)")
            #expect(elapsed >= 0.3 && elapsed < 3, "closed after \(elapsed) s")
            try client.sendClose(code: 1011)
            #expect(try client.socket.waitForEnd(timeout: 3))
        }

        @Test("a client that answers stays open, sees only the gateway's pings, and its pongs stay at the gateway")
        func answeredPings() throws {
            let atUpstream = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                while true {
                    let frame = try peer.connection.readFrame(timeout: 10)
                    atUpstream.put(frame)
                    if frame.opcode == Opcode.close { return }
                    if frame.opcode == Opcode.text { try peer.connection.send(opcode: Opcode.text, frame.payload) }
                }
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port,
                                                         policy: Self.fastPings)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let until = Deadline.after(1.6)
            var pings = 0
            var others: [WSFrame] = []
            while try client.socket.hasInput(within: max(0, until.remaining)) {
                let frame = try client.readFrame()
                if frame.opcode == Opcode.ping {
                    pings += 1
                    #expect(frame.payload.count == 8 && !frame.masked)
                    try client.send(opcode: Opcode.pong, frame.payload)
                } else {
                    others.append(frame)
                }
            }
            #expect(pings >= 2, "only \(pings) pings in 1.6 s at a 0.2 s interval")
            #expect(others.isEmpty, "\(others)")

            try client.sendText("still here")
            var reply = try client.readFrame()
            while reply.opcode == Opcode.ping {
                try client.send(opcode: Opcode.pong, reply.payload)
                reply = try client.readFrame()
            }
            #expect(reply.opcode == Opcode.text && reply.payload == Array("still here".utf8))
            let received = atUpstream.drain()
            #expect(received.map(\.opcode) == [Opcode.text], "the upstream got \(received)")
        }

        @Test("a connection without messages for idle_timeout is closed with 1001")
        func idleTimeout() throws {
            let policy = RoutePolicy.with {
                $0.idleTimeout = 300
                $0.pingInterval = 0
            }
            let gateway = try TestGateway(echoPolicy: policy)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            try client.sendText("one message")
            #expect(try client.readMessage().text == "one message")
            let lastMessage = Deadline.now()
            let (close, skipped) = try client.readClose(timeout: 3)
            let idle = Deadline.now() - lastMessage
            #expect(close.closeCode == 1001)
            #expect(close.closeReason == "idle timeout")
            #expect(skipped.isEmpty)
            #expect(idle >= 0.2 && idle < 3, "closed after \(idle) s idle")
            try client.sendClose(code: 1001)
            #expect(try client.socket.waitForEnd(timeout: 3))
        }

        @Test("messages keep a connection with idle_timeout open")
        func busyIsNotIdle() throws {
            let policy = RoutePolicy.with {
                $0.idleTimeout = 300
                $0.pingInterval = 0
            }
            let gateway = try TestGateway(echoPolicy: policy)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            for i in 0..<12 {
                try client.sendText("tick \(i)")
                #expect(try client.readMessage().text == "tick \(i)")
                usleep(100_000)
            }
            #expect(try client.closeHandshake().closeCode == 1000)
        }
    }
}
