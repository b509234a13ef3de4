import Glibc
import Testing
import WSGateway
import WSIO

extension Integration {
    /// An upstream that cannot be reached, stalls, refuses or dies: the client always learns of it, as an
    /// HTTP status before the upgrade and as close 1011 after it.
    @Suite struct UpstreamFailures {
        @Test("upstream down: 502 with a body")
        func upstreamDown() throws {
            let gateway = try TestGateway(routes: [.init(name: "down", pathPrefix: "/down", upstreamPort: try TestGateway.deadPort())])
            defer { gateway.stop() }
            let (_, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/down")
            #expect(response.status == 502)
            // On loopback the request is written right after connect: the refusal must still read as one.
            #expect(response.bodyText.contains("upstream refused the connection"), "\(response.bodyText)")
        }

        /// The request is written right after a loopback connect; when the connect is not done (here the
        /// member's accept queue is full), the attempt waits under the connect timeout, not the handshake one.
        @Test("loopback member with a full accept queue: 504 after the route's connect timeout")
        func upstreamAcceptQueueFull() throws {
            let listener = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 0)
            defer { close(listener) }
            let port = Socket.localAddress(listener).port
            // Fills the queue of one: the gateway's SYN is then dropped and its connect stays pending.
            let queued = try TestSocket.connect(port: port)
            defer { queued.close() }
            let policy = RoutePolicy.with {
                $0.connectTimeout = 300
                $0.handshakeTimeout = 20_000
            }
            let gateway = try TestGateway(routes: [.init(name: "full", pathPrefix: "/full", upstreamPort: port, policy: policy)])
            defer { gateway.stop() }
            let started = Deadline.now()
            let (_, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/full")
            let elapsed = Deadline.now() - started
            #expect(response.status == 504)
            #expect(response.bodyText.contains("upstream connect timed out"), "\(response.bodyText)")
            #expect(elapsed >= 0.2 && elapsed < 10, "answered after \(elapsed) s")
        }

        @Test("upstream never answers the upgrade: 504 after the route's handshake timeout")
        func upstreamSilent() throws {
            let release = Mailbox<Bool>()
            let upstream = try ScriptedUpstream { peer in
                _ = try peer.readRequest()
                _ = release.take(timeout: 10)
            }
            defer { release.put(true) }
            let policy = RoutePolicy.with { $0.handshakeTimeout = 300 }
            let gateway = try TestGateway(routes: [.init(name: "silent", pathPrefix: "/silent", upstreamPort: upstream.port,
                                                         policy: policy)])
            defer { gateway.stop() }
            let started = Deadline.now()
            let (_, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/silent")
            let elapsed = Deadline.now() - started
            #expect(response.status == 504)
            #expect(!response.body.isEmpty)
            #expect(elapsed >= 0.2 && elapsed < 3, "answered after \(elapsed) s")
        }

        @Test("upstream refuses (403, 200) or botches (bad accept) the upgrade: 502", arguments: [
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n",
        ])
        func upstreamRefuses(answer: String) throws {
            let upstream = try ScriptedUpstream { peer in
                _ = try peer.readRequest()
                try peer.socket.send(answer)
                _ = try peer.socket.waitForEnd(timeout: 5)
            }
            let gateway = try TestGateway(routes: [.init(name: "refuse", pathPrefix: "/refuse", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let (connection, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/refuse")
            #expect(response.status == 502, "\(response)")
            #expect(try connection.socket.waitForEnd(timeout: 5))
        }

        /// The last echo and the FIN (or RST) arrive together: one readiness event for both. After one
        /// message the upstream socket is level-triggered; after 20 it is edge-triggered, and the gateway
        /// must read on to the hang-up the event announced, since no later event will.
        @Test("upstream dies mid-stream: the client gets close 1011", arguments: [false, true], [1, 20])
        func upstreamDies(withReset: Bool, messages: Int) throws {
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                for _ in 0..<messages {
                    let message = try peer.connection.readFrame()
                    try peer.connection.send(opcode: message.opcode, message.payload)
                }
                if withReset { peer.socket.abort() } else { peer.socket.close() }
            }
            let gateway = try TestGateway(routes: [.init(name: "dies", pathPrefix: "/dies", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/dies")
            for i in 0..<messages {
                try client.sendText("last words \(i)")
                #expect(try client.readMessage().text == "last words \(i)")
            }
            let close = try client.readFrame(timeout: 5)
            #expect(close.closeCode == 1011, "\(close)")
            try client.sendClose(code: 1011)
            #expect(try client.socket.waitForEnd(timeout: 5))
        }
    }

    /// Frames that break RFC 6455 end the connection with the right close code.
    @Suite struct ProtocolViolations {
        struct Case: Sendable, CustomTestStringConvertible {
            var name: String
            var frame: WSFrame
            var masked = true
            var testDescription: String { name }
        }

        static let clientCases: [Case] = [
            Case(name: "unmasked client frame", frame: WSFrame(opcode: Opcode.text, payload: Array("hi".utf8)), masked: false),
            Case(name: "reserved opcode 0x3", frame: WSFrame(opcode: 0x3, payload: [])),
            Case(name: "reserved control opcode 0xB", frame: WSFrame(opcode: 0xB, payload: [])),
            Case(name: "RSV1 without an extension", frame: WSFrame(rsv: 0x40, opcode: Opcode.text, payload: Array("hi".utf8))),
            Case(name: "RSV2", frame: WSFrame(rsv: 0x20, opcode: Opcode.binary, payload: [1])),
            Case(name: "RSV3", frame: WSFrame(rsv: 0x10, opcode: Opcode.binary, payload: [1])),
            Case(name: "ping of 126 bytes", frame: WSFrame(opcode: Opcode.ping, payload: [UInt8](repeating: 7, count: 126))),
            Case(name: "fragmented ping", frame: WSFrame(fin: false, opcode: Opcode.ping, payload: [])),
            Case(name: "continuation without a message", frame: WSFrame(opcode: Opcode.continuation, payload: [1])),
        ]

        @Test("a client's violation: close 1002 to the client", arguments: clientCases)
        func clientViolation(_ testCase: Case) throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            try client.sendText("fine so far")
            #expect(try client.readMessage().text == "fine so far")
            try client.send(testCase.frame, masked: testCase.masked)
            let (close, skipped) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1002, "\(close)")
            #expect(skipped.isEmpty, "\(skipped)")
            #expect(try client.socket.waitForEnd(timeout: 5), "the gateway should not wait for the offender's close")
        }

        @Test("a masked frame from the upstream: close 1014 to the client, 1002 to the upstream")
        func maskedUpstreamFrame() throws {
            let atUpstream = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.connection.send(opcode: Opcode.text, Array("masked by mistake".utf8), masked: true)
                atUpstream.put(try peer.connection.readFrame(timeout: 5))
            }
            let gateway = try TestGateway(routes: [.init(name: "bad", pathPrefix: "/bad", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/bad")
            let (close, skipped) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1014, "\(close)")
            #expect(skipped.isEmpty, "the masked frame must not reach the client: \(skipped)")
            #expect(atUpstream.take(timeout: 5)?.closeCode == 1002)
        }
    }
}
