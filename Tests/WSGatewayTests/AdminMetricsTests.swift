import Foundation
import Testing
import WSGateway

/// Known traffic through the gateway, then `/metrics` must count exactly that.
extension Integration {
    @Suite struct AdminMetricsTests {
        /// Bytes a client wrote and the bytes the upstream wrote toward it, counted as the gateway reads them.
        struct Tally {
            var fromClient = 0
            var fromUpstream = 0
        }

        /// Opens a WebSocket by hand so that every byte each way is counted.
        private static func open(port: UInt16, tally: inout Tally) throws -> WSTestConnection {
            let socket = try TestSocket.connect(port: port)
            let request = UpgradeRequestText.make(path: "/echo", key: UpgradeRequestText.newKey())
            try socket.send(request)
            tally.fromClient += request.utf8.count
            let head = try socket.read(through: Array("\r\n\r\n".utf8))
            guard head.starts(with: Array("HTTP/1.1 101".utf8)) else {
                throw TestSocketError(description: "no 101: \(String(decoding: head, as: UTF8.self))")
            }
            // The echo backend's 101 is written by the same code as the gateway's, with an accept value of
            // the same length, so it is as long as the one the client got.
            tally.fromUpstream += head.count
            return WSTestConnection(socket: socket, isClient: true)
        }

        /// Sends `count` messages of various sizes and reads each echo.
        private static func exchange(_ connection: WSTestConnection, count: Int, tally: inout Tally) throws {
            for index in 0..<count {
                let frame = WSFrame(opcode: index % 2 == 0 ? Opcode.text : Opcode.binary,
                                    payload: Payloads.text(size: [5, 125, 126, 300][index % 4]))
                let bytes = frame.encoded(maskKey: UInt32.random(in: 1...UInt32.max))
                try connection.socket.send(bytes)
                tally.fromClient += bytes.count
                let echo = try connection.readFrame()
                #expect(echo.payload == frame.payload)
                tally.fromUpstream += echo.encoded(maskKey: nil).count
            }
        }

        private static func close(_ connection: WSTestConnection, tally: inout Tally) throws {
            let close = WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 1000))
            let bytes = close.encoded(maskKey: 0x0102_0304)
            try connection.socket.send(bytes)
            tally.fromClient += bytes.count
            let (reply, skipped) = try connection.readClose(timeout: 5)
            #expect(skipped.isEmpty)
            #expect(reply.closeCode == 1000)
            tally.fromUpstream += reply.encoded(maskKey: nil).count
            #expect(try connection.socket.waitForEnd(timeout: 5))
        }

        @Test func countersEqualTheTrafficSentWhileOpenAndAfterClosing() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            let connectionCount = 3
            let messagesEach = 20
            var tally = Tally()
            var connections: [WSTestConnection] = []
            for _ in 0..<connectionCount {
                let connection = try Self.open(port: gateway.port, tally: &tally)
                try Self.exchange(connection, count: messagesEach, tally: &tally)
                connections.append(connection)
            }

            let live = try gateway.scrape()
            #expect(live.value("wsgate_connections_current", ["route": "echo"]) == Double(connectionCount))
            #expect(live.value("wsgate_connections_total", ["route": "echo"]) == Double(connectionCount))
            #expect(live.value("wsgate_messages_total", ["direction": "client_to_upstream"]) == Double(connectionCount * messagesEach))
            #expect(live.value("wsgate_messages_total", ["direction": "upstream_to_client"]) == Double(connectionCount * messagesEach))
            #expect(live.value("wsgate_bytes_total", ["direction": "client_to_upstream"]) == Double(tally.fromClient))
            #expect(live.value("wsgate_bytes_total", ["direction": "upstream_to_client"]) == Double(tally.fromUpstream))
            #expect(live.value("wsgate_upstream_connections", ["route": "echo", "upstream": "127.0.0.1:\(gateway.gateway.echo.boundAddress!.port)"])
                == Double(connectionCount))
            #expect(live.value("wsgate_upstream_up", ["route": "echo", "upstream": "127.0.0.1:\(gateway.gateway.echo.boundAddress!.port)"]) == 1)
            let loopConnections = live.series("wsgate_loop_connections").reduce(0) { $0 + $1.value }
            #expect(loopConnections == Double(connectionCount))
            #expect(live.series("wsgate_loop_up").map(\.value) == [1, 1])

            for connection in connections { try Self.close(connection, tally: &tally) }
            try gateway.waitUntilIdle()

            let done = try gateway.scrape()
            #expect(done.value("wsgate_connections_current", ["route": "echo"]) == 0)
            #expect(done.value("wsgate_connections_total", ["route": "echo"]) == Double(connectionCount))
            #expect(done.value("wsgate_handshakes_total", ["outcome": "upgraded"]) == Double(connectionCount))
            #expect(done.value("wsgate_accepted_total") == Double(connectionCount))
            #expect(done.value("wsgate_messages_total", ["direction": "client_to_upstream"]) == Double(connectionCount * messagesEach))
            #expect(done.value("wsgate_messages_total", ["direction": "upstream_to_client"]) == Double(connectionCount * messagesEach))
            #expect(done.value("wsgate_bytes_total", ["direction": "client_to_upstream"]) == Double(tally.fromClient))
            #expect(done.value("wsgate_bytes_total", ["direction": "upstream_to_client"]) == Double(tally.fromUpstream))
            #expect(done.value("wsgate_close_codes_total", ["side": "client", "code": "1000"]) == Double(connectionCount))
            #expect(done.value("wsgate_close_codes_total", ["side": "upstream", "code": "1000"]) == Double(connectionCount))
            #expect(done.series("wsgate_close_codes_total").filter { $0.labels["side"] == "gateway" }.isEmpty)
            #expect(done.value("wsgate_handshake_duration_seconds_count") == Double(connectionCount))
            #expect(done.value("wsgate_handshake_duration_seconds_bucket", ["le": "+Inf"]) == Double(connectionCount))
            #expect(done.value("wsgate_buffers_in_use") == 0)
            #expect(done.value("wsgate_protocol_errors_total") == 0)
        }

        @Test func rejectionsUpstreamFailuresAndGatewayClosesAreCounted() throws {
            let deadPort = try TestGateway.deadPort()
            let gateway = try AdminTestGateway(routes: [TestGateway.Route(name: "dead", pathPrefix: "/dead", upstreamPort: deadPort)])
            defer { gateway.stop() }
            for _ in 0..<2 {
                let (_, response, _) = try WSTestConnection.attempt(port: gateway.port, path: "/nowhere")
                #expect(response.status == 404)
            }
            let (_, failed, _) = try WSTestConnection.attempt(port: gateway.port, path: "/dead")
            #expect(failed.status == 502)
            // An unmasked client frame is a protocol error: the gateway closes the client with 1002.
            let broken = try WSTestConnection.open(port: gateway.port)
            try broken.send(opcode: Opcode.text, Array("x".utf8), masked: false)
            #expect(try broken.readClose(timeout: 5).close.closeCode == 1002)
            broken.socket.close()
            try gateway.waitUntilIdle()

            let metrics = try gateway.scrape()
            #expect(metrics.value("wsgate_handshakes_total", ["outcome": "rejected", "status": "404"]) == 2)
            #expect(metrics.value("wsgate_handshakes_total", ["outcome": "upstream_failed"]) == 1)
            #expect(metrics.value("wsgate_handshakes_total", ["outcome": "upgraded"]) == 1)
            #expect(metrics.value("wsgate_upstream_up", ["route": "dead", "upstream": "127.0.0.1:\(deadPort)"]) == 0)
            #expect(metrics.value("wsgate_protocol_errors_total") == 1)
            #expect(metrics.value("wsgate_close_codes_total", ["side": "gateway", "code": "1002"]) == 1)
            #expect(metrics.value("wsgate_close_codes_total", ["side": "client", "code": "none"]) == 1)
            #expect(metrics.value("wsgate_connections_total", ["route": "dead"]) == 0)

            let status = try gateway.get("/status")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(status.body)) as? [String: Any])
            let routes = try #require(document["routes"] as? [[String: Any]])
            #expect(routes.first { $0["name"] as? String == "dead" }?["upstream_health"] as? String == "unreachable")
            #expect(routes.first { $0["name"] as? String == "echo" }?["upstream_health"] as? String == "reachable")
        }
    }
}
