import Glibc
import Testing
import WSGateway

extension Integration.Conformance {
    /// Autobahn 2.x: pings and pongs. Pings reach the echo and its pongs come back with the same payload;
    /// oversize control frames are refused by the gateway before the backend sees them.
    @Suite struct ControlFrames {
        @Test("2.1–2.3/2.5: a ping of 0, 1, 125 bytes (text or binary payload) gets a pong with the same payload",
              arguments: [[UInt8](), Array("x".utf8), Array(repeating: 0xFE, count: 125), Array(0...124)])
        func pingPong(payload: [UInt8]) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.ping, payload)
            let pong = try session.client.readFrame()
            #expect(pong.opcode == Opcode.pong && pong.payload == payload && !pong.masked, "\(pong)")
            try session.finish()
        }

        @Test("2.4/2.6: a control frame with 126 payload bytes closes with 1002", arguments: [Opcode.ping, Opcode.pong, Opcode.close])
        func oversizeControlFrame(opcode: UInt8) throws {
            let session = try EchoSession()
            defer { session.stop() }
            let payload = opcode == Opcode.close ? [0x03, 0xE8] + Array(repeating: UInt8(ascii: "r"), count: 124)
                : Array(repeating: UInt8(0x21), count: 126)
            try session.client.send(opcode: opcode, payload)
            let skipped = try session.expectClose(1002)
            #expect(skipped.isEmpty, "\(skipped)")
        }

        @Test("2.7/2.8: unsolicited pongs get no answer; the connection goes on")
        func unsolicitedPong() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.pong, [])
            try session.client.send(opcode: Opcode.pong, Array("unsolicited".utf8))
            try session.client.sendText("still here")
            let message = try session.client.readMessage()
            #expect(message.text == "still here")
            #expect(message.controlFrames.isEmpty, "pongs were answered: \(message.controlFrames)")
            try session.finish()
        }

        /// Regression (found by Fuzz/FuzzRelay): a close frame of the gateway's own, inserted while part of
        /// an upstream frame waited unparsed in the buffer, left stale bytes in front of the rest of that
        /// frame; scanning them, the gateway lost its place in the upstream's stream and missed the
        /// upstream's close reply, holding the connection until close_timeout.
        @Test("shutdown while an upstream ping is half received: the upstream's close reply is still found at once")
        func gatewayCloseBesidePartialFrame() throws {
            let partialSent = Mailbox<Bool>()
            let closedAfter = Mailbox<Double>()
            let upstreamPing = WSFrame(opcode: Opcode.ping, payload: Array("upstream ping, twenty".utf8)).encoded(maskKey: nil)
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.socket.send(Array(upstreamPing[..<3]))
                partialSent.put(true)
                let (close, _) = try peer.connection.readClose(timeout: 5)
                try peer.socket.send(Array(upstreamPing[3...])
                    + WSFrame(opcode: Opcode.close, payload: close.payload).encoded(maskKey: nil))
                let replied = Deadline.now()
                guard try peer.socket.waitForEnd(timeout: 6) else { throw TestSocketError(description: "never closed") }
                closedAfter.put(Deadline.now() - replied)
            }
            let policy = RoutePolicy.with { $0.closeTimeout = 3_000 }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port, policy: policy)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            #expect(partialSent.take(timeout: 5) == true)
            usleep(100_000)
            gateway.server.beginShutdown()
            let (close, _) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1001, "\(close)")
            try client.sendClose(code: 1001)
            let delay = closedAfter.take(timeout: 8)
            #expect(delay.map { $0 < 1 } == true, "upstream closed \(String(describing: delay)) s after its close reply")
            #expect(upstream.failures.drain().isEmpty)
        }

        @Test("2.10/2.11: ten pings in a burst get ten pongs in order")
        func tenPings() throws {
            let session = try EchoSession()
            defer { session.stop() }
            var burst: [UInt8] = []
            for index in 0..<10 {
                burst += WSFrame(opcode: Opcode.ping, payload: Array("ping \(index)".utf8)).encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try session.client.socket.send(burst)
            for index in 0..<10 {
                let pong = try session.client.readFrame()
                #expect(pong.opcode == Opcode.pong && pong.payload == Array("ping \(index)".utf8), "\(pong)")
            }
            try session.finish()
        }
    }
}
