import Glibc
import Testing

extension Integration {
    /// Fragmented messages keep their fragments, control frames between fragments go through, and
    /// application pings and pongs pass in both directions.
    @Suite struct ControlFrames {
        @Test("pings between fragments are answered by the echo, the message comes back whole")
        func fragmentsWithPings() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            let parts = ["first part, ", "second part ✓, ", String(repeating: "third part ", count: 2_000)]
            try client.send(opcode: Opcode.text, Array(parts[0].utf8), fin: false)
            try client.send(opcode: Opcode.ping, Array("ping-1".utf8))
            try client.send(opcode: Opcode.continuation, Array(parts[1].utf8), fin: false)
            try client.send(opcode: Opcode.ping, Array("ping-2".utf8))
            try client.send(opcode: Opcode.continuation, Array(parts[2].utf8), fin: true)

            let message = try client.readMessage()
            #expect(message.opcode == Opcode.text)
            #expect(message.frames == 3)
            #expect(message.text == parts.joined())
            #expect(message.controlFrames.map(\.opcode) == [Opcode.pong, Opcode.pong])
            #expect(message.controlFrames.map(\.payload) == [Array("ping-1".utf8), Array("ping-2".utf8)])
            #expect(message.controlFrames.allSatisfy { !$0.masked })
        }

        @Test("application pings and pongs pass through in both directions, unmasked toward the client")
        func applicationControlFrames() throws {
            let seen = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                // The client's ping, then its unsolicited pong.
                for _ in 0..<2 { seen.put(try peer.connection.readFrame()) }
                try peer.connection.send(opcode: Opcode.ping, Array("from upstream".utf8))
                try peer.connection.send(opcode: Opcode.pong, Array("unsolicited".utf8))
                // The client's pong to our ping.
                seen.put(try peer.connection.readFrame())
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            try client.send(opcode: Opcode.ping, Array("from client".utf8))
            try client.send(opcode: Opcode.pong, Array("client pong".utf8))

            let atUpstream = (0..<2).compactMap { _ in seen.take(timeout: 5) }
            #expect(atUpstream.map(\.opcode) == [Opcode.ping, Opcode.pong])
            #expect(atUpstream.map(\.payload) == [Array("from client".utf8), Array("client pong".utf8)])
            #expect(atUpstream.allSatisfy { $0.masked })

            let ping = try client.readFrame()
            #expect(ping.opcode == Opcode.ping && ping.payload == Array("from upstream".utf8) && !ping.masked)
            let pong = try client.readFrame()
            #expect(pong.opcode == Opcode.pong && pong.payload == Array("unsolicited".utf8) && !pong.masked)
            try client.send(opcode: Opcode.pong, ping.payload)
            let answer = seen.take(timeout: 5)
            #expect(answer?.opcode == Opcode.pong && answer?.payload == ping.payload)
            #expect(upstream.failures.drain().isEmpty)
        }

        /// The gateway may swallow only the pong to its own keepalive ping; before it sent any, a pong of
        /// eight zero bytes (the upstream's ping payload here) is the application's and must be forwarded.
        @Test("a client pong that answers no keepalive ping reaches the upstream, whatever its payload")
        func eightZeroBytePong() throws {
            let seen = Mailbox<WSFrame>()
            let zeros = [UInt8](repeating: 0, count: 8)
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.connection.send(opcode: Opcode.ping, zeros)
                seen.put(try peer.connection.readFrame(timeout: 3))
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let ping = try client.readFrame()
            #expect(ping.opcode == Opcode.ping && ping.payload == zeros)
            try client.send(opcode: Opcode.pong, ping.payload)
            let answer = seen.take(timeout: 4)
            #expect(answer?.opcode == Opcode.pong, "the upstream never got the client's pong")
            #expect(answer?.payload == zeros)
        }
    }

    /// Close frames travel end to end with their codes and reasons, whoever starts.
    @Suite struct CloseCodes {
        @Test("a client's close is answered by the echo with the same code", arguments: [
            (UInt16(1000), ""), (UInt16(4000), "custom reason ✓"), (UInt16(1001), "going away"),
        ])
        func clientCloses(code: UInt16, reason: String) throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            try client.sendText("before closing")
            #expect(try client.readMessage().text == "before closing")
            let reply = try client.closeHandshake(code: code, reason: reason)
            #expect(reply.closeCode == code)
            #expect(!reply.masked)
        }

        @Test("an upstream's close reaches the client with code and reason; the client's reply reaches the upstream")
        func upstreamCloses() throws {
            let reply = Mailbox<WSFrame>()
            let ended = Mailbox<Bool>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.connection.send(opcode: Opcode.close, WSFrame.closePayload(code: 4001, reason: "upstream says bye"))
                reply.put(try peer.connection.readFrame())
                // As the server of its connection, the upstream hangs up first (RFC 6455 section 7.1.1), half
                // closing as Python websockets does; the gateway, waiting for that, closes well before its
                // 5 s close timeout.
                Glibc.shutdown(peer.socket.fd, Int32(SHUT_WR))
                ended.put(try peer.socket.waitForEnd(timeout: 4))
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let close = try client.readFrame()
            #expect(close.closeCode == 4001)
            #expect(close.closeReason == "upstream says bye")
            try client.sendClose(code: 4001, reason: "ok")
            #expect(try client.socket.waitForEnd(timeout: 5))
            let forwarded = reply.take(timeout: 5)
            #expect(forwarded?.closeCode == 4001)
            #expect(forwarded?.closeReason == "ok")
            #expect(forwarded?.masked == true)
            #expect(ended.take(timeout: 5) == true)
            #expect(upstream.failures.drain().isEmpty)
        }
    }
}
