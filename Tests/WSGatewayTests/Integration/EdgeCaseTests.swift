import Glibc
import Testing
import WSGateway
import WSProtocol

extension Integration {
    /// Bytes that arrive with a handshake, peers that vanish or stall, and close frames that break the rules.
    @Suite struct EdgeCases {
        @Test("frames sent right behind the upgrade request, in the same write, are relayed after the 101")
        func framesBehindClientHandshake() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            let key = UpgradeRequestText.newKey()
            var bytes = Array(UpgradeRequestText.make(path: "/echo", key: key).utf8)
            for text in ["early one", "early two"] {
                bytes += WSFrame(opcode: Opcode.text, payload: Array(text.utf8)).encoded(maskKey: 0x1234_5678)
            }
            try socket.send(bytes)
            let response = try HTTPResponse.read(from: socket, readBody: false)
            #expect(response.status == 101)
            let client = WSTestConnection(socket: socket, isClient: true, response: response)
            #expect(try client.readMessage().text == "early one")
            #expect(try client.readMessage().text == "early two")
        }

        @Test("frames an upstream sends in the same write as its 101 reach the client after the 101")
        func framesBehindUpstreamHandshake() throws {
            let upstream = try ScriptedUpstream { peer in
                let request = try peer.readRequest()
                let key = try #require(request.header("Sec-WebSocket-Key"))
                var bytes = Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: \(WebSocketAccept.value(forKey: key))\r\n\r\n").utf8)
                bytes += WSFrame(opcode: Opcode.text, payload: Array("welcome".utf8)).encoded(maskKey: nil)
                try peer.socket.send(bytes)
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            #expect(try client.readMessage().text == "welcome")
            client.socket.close()
        }

        @Test("a client that vanishes without a close frame: the upstream gets close 1001", arguments: [false, true])
        func clientVanishes(withReset: Bool) throws {
            let atUpstream = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                let message = try peer.connection.readFrame()
                try peer.connection.send(opcode: message.opcode, message.payload)
                atUpstream.put(try peer.connection.readFrame(timeout: 5))
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            try client.sendText("bye without closing")
            #expect(try client.readMessage().text == "bye without closing")
            if withReset { client.socket.abort() } else { client.socket.close() }
            let close = atUpstream.take(timeout: 6)
            #expect(close?.closeCode == 1001, "\(String(describing: close))")
            #expect(close?.masked == true)
        }

        @Test("a client that stalls in the middle of its request head is dropped after the handshake timeout")
        func slowlorisClient() throws {
            let policy = RoutePolicy.with { $0.handshakeTimeout = 300 }
            let gateway = try TestGateway(echoPolicy: policy)
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            try socket.send("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr")
            let started = Deadline.now()
            #expect(try socket.waitForEnd(timeout: 5))
            let elapsed = Deadline.now() - started
            #expect(elapsed >= 0.2 && elapsed < 3, "dropped after \(elapsed) s")
        }

        @Test("a close frame that breaks the rules gets 1002 (1007 for a reason that is not UTF-8)", arguments: [
            ([UInt8]([0x03]), UInt16(1002)),                           // one byte: no room for a code
            (WSFrame.closePayload(code: 1005), UInt16(1002)),          // reserved, never sent on the wire
            (WSFrame.closePayload(code: 999), UInt16(1002)),           // below the assigned range
            (WSFrame.closePayload(code: 1000) + [0xC3, 0x28], UInt16(1007)),
        ])
        func badCloseFrame(payload: [UInt8], expected: UInt16) throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            try client.send(opcode: Opcode.close, payload)
            let (close, _) = try client.readClose(timeout: 5)
            #expect(close.closeCode == expected, "\(close)")
            #expect(try client.socket.waitForEnd(timeout: 5))
        }

        @Test("an empty close frame from the upstream reaches the client empty")
        func emptyUpstreamClose() throws {
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.connection.send(opcode: Opcode.close, [])
                _ = try peer.connection.readFrame(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let close = try client.readFrame()
            #expect(close.opcode == Opcode.close && close.payload.isEmpty, "\(close)")
            try client.send(opcode: Opcode.close, [])
            #expect(try client.socket.waitForEnd(timeout: 5))
        }

        @Test("a message in 1,000 small fragments over TLS comes back whole")
        func manyFragments() throws {
            let gateway = try TestGateway(tls: true)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.tlsPort!, tls: try TestEnvironment.clientTLS())
            let payload = Payloads.binary(size: 100_000)
            var burst: [UInt8] = []
            for index in 0..<1_000 {
                let chunk = Array(payload[index * 100..<(index + 1) * 100])
                burst += WSFrame(fin: index == 999, opcode: index == 0 ? Opcode.binary : Opcode.continuation, payload: chunk)
                    .encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try client.socket.send(burst)
            let message = try client.readMessage()
            #expect(message.frames == 1_000)
            #expect(Payloads.difference(message.payload, payload) == nil)
        }
    }
}

extension Integration.EdgeCases {
    @Test("a frame length with the top bit set from the upstream: close 1014 to the client")
    func impossibleUpstreamLength() throws {
        let upstream = try ScriptedUpstream { peer in
            try peer.acceptUpgrade()
            try peer.socket.send([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1])
            _ = try peer.socket.waitForEnd(timeout: 5)
        }
        let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
        defer { gateway.stop() }
        let client = try WSTestConnection.open(port: gateway.port, path: "/app")
        let (close, skipped) = try client.readClose(timeout: 5)
        #expect(close.closeCode == 1014, "\(close)")
        #expect(skipped.isEmpty)
    }

    @Test("shutdown while the upstream has not answered yet: the client gets 503 with Retry-After")
    func shutdownDuringUpstreamHandshake() throws {
        let requested = Mailbox<Bool>()
        let release = Mailbox<Bool>()
        let upstream = try ScriptedUpstream { peer in
            _ = try peer.readRequest()
            requested.put(true)
            _ = release.take(timeout: 10)
        }
        defer { release.put(true) }
        let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
        defer { gateway.stop() }
        let socket = try TestSocket.connect(port: gateway.port)
        try socket.send(UpgradeRequestText.make(path: "/app", key: UpgradeRequestText.newKey()))
        #expect(requested.take(timeout: 5) == true)
        gateway.server.beginShutdown()
        let response = try HTTPResponse.read(from: socket, readBody: true)
        #expect(response.status == 503, "\(response)")
        #expect(response.header("Retry-After") != nil)
    }
}

extension Integration.EdgeCases {
    @Test("an upstream that sends its last message, a close and its FIN at once: the client gets all of it")
    func upstreamGoodbyeAndHangUp() throws {
        let upstream = try ScriptedUpstream { peer in
            try peer.acceptUpgrade()
            try peer.socket.send(WSFrame(opcode: Opcode.text, payload: Array("last news".utf8)).encoded(maskKey: nil)
                + WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 1000, reason: "done")).encoded(maskKey: nil))
            peer.socket.close()
        }
        let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
        defer { gateway.stop() }
        let client = try WSTestConnection.open(port: gateway.port, path: "/app")
        #expect(try client.readMessage().text == "last news")
        let close = try client.readFrame()
        #expect(close.closeCode == 1000 && close.closeReason == "done", "\(close)")
        try client.sendClose(code: 1000)
        #expect(try client.socket.waitForEnd(timeout: 5))
    }

    @Test("a client that sends a message and a close and half-closes at once still gets the echo and the close")
    func clientGoodbyeAndHalfClose() throws {
        let gateway = try TestGateway()
        defer { gateway.stop() }
        let client = try WSTestConnection.open(port: gateway.port)
        try client.socket.send(WSFrame(opcode: Opcode.text, payload: Array("parting words".utf8)).encoded(maskKey: 7)
            + WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 1000)).encoded(maskKey: 9))
        Glibc.shutdown(client.socket.fd, Int32(SHUT_WR))
        #expect(try client.readMessage().text == "parting words")
        #expect(try client.readFrame().closeCode == 1000)
        #expect(try client.socket.waitForEnd(timeout: 5))
    }

    @Test("a client closes while a large upstream message is on its way: the message, then the upstream's close")
    func closeDuringLargeUpstreamMessage() throws {
        let big = Payloads.binary(size: 4 << 20)
        let upstream = try ScriptedUpstream { peer in
            try peer.acceptUpgrade()
            _ = try peer.connection.readFrame()
            try peer.connection.send(opcode: Opcode.binary, big, timeout: 30)
            let (close, _) = try peer.connection.readClose(timeout: 30)
            try peer.connection.send(opcode: Opcode.close, close.payload)
        }
        let policy = RoutePolicy.with { $0.limits.maxUpstreamMessageSize = 0 }
        let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port, policy: policy)])
        defer { gateway.stop() }
        let client = try WSTestConnection.open(port: gateway.port, path: "/app")
        try client.sendText("send the big one")
        usleep(50_000)
        try client.sendClose(code: 4005, reason: "enough")
        let message = try client.readMessage(timeout: 30)
        #expect(Payloads.difference(message.payload, big) == nil)
        let close = try client.readFrame()
        #expect(close.closeCode == 4005, "\(close)")
        #expect(try client.socket.waitForEnd(timeout: 5))
        #expect(upstream.failures.drain().isEmpty)
    }
}

extension Integration.EdgeCases {
    /// Shutdown must not leave a client with half a frame: the frame in flight is finished (or the
    /// client at least gets a close frame at the next boundary), never cut mid-payload.
    @Test("shutdown while a message is halfway to the client: the client gets the whole message and close 1001")
    func shutdownMidMessage() throws {
        let halfway = Mailbox<Bool>()
        let big = Payloads.binary(size: 2 << 20)
        let upstream = try ScriptedUpstream { peer in
            try peer.acceptUpgrade()
            let frame = WSFrame(opcode: Opcode.binary, payload: big).encoded(maskKey: nil)
            try peer.socket.send(Array(frame[..<(1 << 20)]))
            halfway.put(true)
            usleep(300_000)
            try peer.socket.send(Array(frame[(1 << 20)...]))
            let (close, _) = try peer.connection.readClose(timeout: 10)
            try peer.connection.send(opcode: Opcode.close, close.payload)
        }
        let policy = RoutePolicy.with { $0.limits.maxUpstreamMessageSize = 0 }
        let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port, policy: policy)])
        defer { gateway.stop() }
        let client = try WSTestConnection.open(port: gateway.port, path: "/app")
        #expect(halfway.take(timeout: 5) == true)
        usleep(100_000)
        gateway.server.beginShutdown()
        let message = try client.readMessage(timeout: 10)
        #expect(Payloads.difference(message.payload, big) == nil)
        let close = try client.readFrame(timeout: 10)
        #expect(close.closeCode == 1001, "\(close)")
    }
}
