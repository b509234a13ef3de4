import Testing
import WSProtocol

extension Integration {
    /// What the upstream's request carries: subprotocol offers, forwarding headers, end-to-end headers, and
    /// nothing hop-by-hop.
    @Suite struct HeaderForwarding {
        @Test("the echo's subprotocol choice (the first offered) reaches the client")
        func subprotocolFromEcho() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let offered = try WSTestConnection.open(port: gateway.port, subprotocols: ["chat.v2", "chat.v1"])
            #expect(offered.response?.header("Sec-WebSocket-Protocol") == "chat.v2")
            try offered.sendText("with subprotocol")
            #expect(try offered.readMessage().text == "with subprotocol")
            let none = try WSTestConnection.open(port: gateway.port)
            #expect(none.response?.header("Sec-WebSocket-Protocol") == nil)
        }

        @Test("an upstream's choice among the offers is relayed, the offers forwarded as sent")
        func subprotocolFromUpstream() throws {
            let requests = Mailbox<HTTPRequestRecord>()
            let upstream = try ScriptedUpstream { peer in
                requests.put(try peer.acceptUpgrade(subprotocol: "second"))
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app", subprotocols: ["first", "second"])
            #expect(client.response?.header("Sec-WebSocket-Protocol") == "second")
            #expect(requests.take(timeout: 5)?.header("Sec-WebSocket-Protocol") == "first, second")
            client.socket.close()
        }

        @Test("forwarding headers name the client, scheme and host", arguments: [false, true])
        func forwardingHeaders(tls: Bool) throws {
            let requests = Mailbox<HTTPRequestRecord>()
            let upstream = try ScriptedUpstream { peer in
                requests.put(try peer.acceptUpgrade())
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)], tls: tls)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: tls ? gateway.tlsPort! : gateway.port, path: "/app/room?x=1",
                                                   host: "chat.example:8443", tls: tls ? try TestEnvironment.clientTLS() : nil,
                                                   headers: [("X-Forwarded-For", "203.0.113.7")])
            defer { client.socket.close() }
            let request = try #require(requests.take(timeout: 5))
            #expect(request.method == "GET")
            #expect(request.target == "/app/room?x=1")
            #expect(request.header("Host") == "127.0.0.1:\(upstream.port)")
            #expect(request.values("X-Forwarded-For") == ["203.0.113.7, 127.0.0.1"])
            #expect(request.values("X-Forwarded-Proto") == [tls ? "https" : "http"])
            #expect(request.values("X-Forwarded-Host") == ["chat.example:8443"])
            #expect(request.values("X-Real-IP") == ["127.0.0.1"])
        }

        @Test("a stripped prefix and the upstream's base path make the upstream's request target", arguments: [
            ("/api/x?q=1", "/base/x?q=1"), ("/api", "/base/"), ("/api/a/b", "/base/a/b"),
        ])
        func requestTarget(clientPath: String, upstreamTarget: String) throws {
            let requests = Mailbox<HTTPRequestRecord>()
            let upstream = try ScriptedUpstream { peer in
                requests.put(try peer.acceptUpgrade())
                _ = try peer.connection.readFrame(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "api", pathPrefix: "/api", upstreamPort: upstream.port,
                                                         stripPrefix: true, upstreamPath: "/base")])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: clientPath)
            #expect(requests.take(timeout: 5)?.target == upstreamTarget)
            try client.sendClose(code: 1000)
        }

        @Test("hop-by-hop headers stay behind; end-to-end headers and the client's key go upstream")
        func hopByHop() throws {
            let requests = Mailbox<HTTPRequestRecord>()
            let upstream = try ScriptedUpstream { peer in
                requests.put(try peer.acceptUpgrade())
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            let clientKey = UpgradeRequestText.newKey()
            try socket.send([
                "GET /app HTTP/1.1", "Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade, X-Private-Hop",
                "Sec-WebSocket-Key: \(clientKey)", "Sec-WebSocket-Version: 13", "X-Private-Hop: secret",
                "Keep-Alive: timeout=5", "TE: trailers", "Trailer: X-Checksum", "Proxy-Authorization: Basic dTpw",
                "Proxy-Connection: keep-alive", "Sec-WebSocket-Extensions: permessage-deflate",
                "Authorization: Bearer end-to-end", "Cookie: session=1", "Origin: https://app.example",
                "X-Request-Id: 42", "", "",
            ].joined(separator: "\r\n"))
            let response = try HTTPResponse.read(from: socket, readBody: false)
            #expect(response.status == 101)
            #expect(response.header("Sec-WebSocket-Accept") == WebSocketAccept.value(forKey: clientKey))
            #expect(response.header("Sec-WebSocket-Extensions") == nil)
            socket.close()
            let request = try #require(requests.take(timeout: 5))
            for hop in ["X-Private-Hop", "Keep-Alive", "TE", "Trailer", "Proxy-Authorization", "Proxy-Connection",
                        "Sec-WebSocket-Extensions"] {
                #expect(request.values(hop).isEmpty, "\(hop) was forwarded")
            }
            #expect(request.values("Connection") == ["Upgrade"])
            #expect(request.values("Upgrade") == ["websocket"])
            #expect(request.values("Sec-WebSocket-Version") == ["13"])
            // The client's nonce goes on, so one accept value answers both handshakes.
            #expect(request.values("Sec-WebSocket-Key") == [clientKey])
            #expect(request.values("Authorization") == ["Bearer end-to-end"])
            #expect(request.values("Cookie") == ["session=1"])
            #expect(request.values("Origin") == ["https://app.example"])
            #expect(request.values("X-Request-Id") == ["42"])
        }
    }
}
