import Testing
import WSGateway

extension Integration {
    /// After the closing handshake the upstream, as the server of its connection, hangs up first
    /// (RFC 6455 section 7.1.1): TIME_WAIT then stays on the upstream's side, not on the gateway's ports.
    @Suite struct UpstreamClose {
        /// An upstream that answers the client's close frame, then reports whether the gateway hung up
        /// within `watch` seconds, and hangs up itself only after that.
        private func upstreamThatWaits(_ watch: Double, _ gatewayHungUp: Mailbox<Bool>) throws -> ScriptedUpstream {
            try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                let close = try peer.connection.readFrame()
                try peer.connection.sendClose(code: close.closeCode ?? 1000)
                gatewayHungUp.put(try peer.socket.hasInput(within: watch))
                peer.socket.close()
            }
        }

        @Test("the gateway waits for the upstream to hang up first; the client is closed at once")
        func upstreamHangsUpFirst() throws {
            let gatewayHungUp = Mailbox<Bool>()
            let upstream = try upstreamThatWaits(0.5, gatewayHungUp)
            let gateway = try TestGateway(routes: [.init(name: "close", pathPrefix: "/close", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/close")
            try client.sendClose(code: 1000, reason: "bye")
            let (close, _) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1000)
            // Toward the client the gateway is the server: it hangs up without waiting.
            let started = Deadline.now()
            #expect(try client.socket.waitForEnd(timeout: 5))
            #expect(Deadline.now() - started < 0.4)
            #expect(gatewayHungUp.take(timeout: 5) == false)
        }

        @Test("an upstream that never hangs up is closed after the route's close timeout")
        func silentUpstreamIsClosedAfterTheCloseTimeout() throws {
            let gatewayHungUp = Mailbox<Bool>()
            let upstream = try upstreamThatWaits(5, gatewayHungUp)
            let policy = RoutePolicy.with { $0.closeTimeout = 300 }
            let gateway = try TestGateway(routes: [.init(name: "close", pathPrefix: "/close", upstreamPort: upstream.port,
                                                         policy: policy)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/close")
            let started = Deadline.now()
            try client.sendClose(code: 1000)
            #expect(try client.readClose(timeout: 5).close.closeCode == 1000)
            #expect(gatewayHungUp.take(timeout: 5) == true)
            let elapsed = Deadline.now() - started
            #expect(elapsed >= 0.25 && elapsed < 3, "upstream closed after \(elapsed) s")
        }
    }
}
