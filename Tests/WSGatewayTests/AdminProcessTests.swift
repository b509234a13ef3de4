import Foundation
import Testing
import WSGateway

/// The admin listener and logging of a real `wsgate` process: access-log counts, readiness during
/// the drain, and the log level.
extension Integration {
    @Suite struct AdminProcessTests {
        /// A proxy process in front of an echo process, with the admin listener.
        private static func startProxy(logLevel: String) throws -> (proxy: GatewayProcess, echo: GatewayProcess, port: UInt16, admin: UInt16) {
            let echoPort = try TestEnvironment.freePort()
            let echo = try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(echoPort)", "--workers", "1"], readyPort: echoPort)
            let port = try TestEnvironment.freePort()
            let admin = try TestEnvironment.freePort()
            let proxy = try GatewayProcess(
                arguments: ["proxy", "--from", "127.0.0.1:\(port)", "--to", "ws://127.0.0.1:\(echoPort)/", "--workers", "2",
                            "--admin", "127.0.0.1:\(admin)", "--log-level", logLevel],
                readyPort: admin)
            return (proxy, echo, port, admin)
        }

        /// The first JSON log line with `"event":"<event>"`, waiting up to `timeout` for it.
        private static func logLine(_ event: String, in process: GatewayProcess, timeout: Double = 5) throws -> [String: Any] {
            let deadline = Deadline.after(timeout)
            while true {
                for line in process.output.split(separator: "\n") where line.contains("\"event\":\"\(event)\"") {
                    if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return object }
                }
                guard !deadline.passed else { throw TestSocketError(description: "no \(event) line in: \(process.output)") }
                usleep(10_000)
            }
        }

        @Test func theAccessLogLineHoldsTheBytesAndMessagesOfItsConnection() throws {
            let (proxy, echo, port, admin) = try Self.startProxy(logLevel: "info")
            defer { withExtendedLifetime(echo) {} }
            let socket = try TestSocket.connect(port: port)
            let request = UpgradeRequestText.make(path: "/", key: UpgradeRequestText.newKey())
            try socket.send(request)
            var bytesIn = request.utf8.count
            var bytesOut = try socket.read(through: Array("\r\n\r\n".utf8)).count
            let connection = WSTestConnection(socket: socket, isClient: true)
            let messages = 7
            for index in 0..<messages {
                let frame = WSFrame(opcode: Opcode.binary, payload: Payloads.binary(size: 40 + index * 50))
                let bytes = frame.encoded(maskKey: UInt32.random(in: 1...UInt32.max))
                try socket.send(bytes)
                bytesIn += bytes.count
                bytesOut += try connection.readFrame().encoded(maskKey: nil).count
            }
            let close = WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 4001, reason: "done")).encoded(maskKey: 7)
            try socket.send(close)
            bytesIn += close.count
            let reply = try connection.readClose(timeout: 5).close
            bytesOut += reply.encoded(maskKey: nil).count
            #expect(try socket.waitForEnd(timeout: 5))

            let access = try Self.logLine("access", in: proxy)
            #expect(access["level"] as? String == "info")
            #expect(access["route"] as? String == "proxy")
            #expect(access["status"] as? Int == 101)
            #expect(access["messages_in"] as? Int == messages)
            #expect(access["messages_out"] as? Int == messages)
            #expect(access["bytes_in"] as? Int == bytesIn)
            #expect(access["bytes_out"] as? Int == bytesOut)
            #expect(access["client_close_code"] as? Int == 4001)
            #expect(access["client_close_reason"] as? String == "done")
            #expect(access["identity"] as? String == "")
            #expect(access["upstream_close_code"] as? Int == Int(reply.closeCode ?? 0))
            #expect(access["closed_by"] as? String == "client")

            let metrics = try PrometheusExposition(parsing: try AdminHTTP.get(port: admin, path: "/metrics").bodyText)
            #expect(metrics.value("wsgate_bytes_total", ["direction": "client_to_upstream"]) == Double(bytesIn))
            #expect(metrics.value("wsgate_bytes_total", ["direction": "upstream_to_client"]) == Double(bytesOut))
            #expect(metrics.value("wsgate_close_codes_total", ["side": "client", "code": "4001"]) == 1)
        }

        @Test func readinessFailsWhileTheProcessDrains() throws {
            let (proxy, echo, port, admin) = try Self.startProxy(logLevel: "info")
            defer { withExtendedLifetime(echo) {} }
            #expect(try AdminHTTP.get(port: admin, path: "/readyz").status == 200)
            let connection = try WSTestConnection.open(port: port, path: "/")
            proxy.send(signal: SIGTERM)
            let goingAway = try connection.readClose(timeout: 5).close
            #expect(goingAway.closeCode == 1001)
            // The client has not answered the close yet, so the process is still draining.
            #expect(try AdminHTTP.get(port: admin, path: "/readyz").status == 503)
            #expect(try AdminHTTP.get(port: admin, path: "/healthz").status == 200)
            try connection.sendClose(code: 1001)
            #expect(proxy.waitForExit(timeout: 10) == 0)
        }

        @Test func postReloadReloadsLikeSIGHUP() throws {
            let (proxy, echo, port, admin) = try Self.startProxy(logLevel: "info")
            defer { withExtendedLifetime(echo) {} }
            let connection = try WSTestConnection.open(port: port, path: "/")
            #expect(try AdminHTTP.get(port: admin, path: "/reload").status == 405)
            #expect(try AdminHTTP.get(port: admin, path: "/reload", method: "POST").status == 202)
            let applied = try Self.logLine("reload_applied", in: proxy)
            #expect(applied["routes"] as? Int == 1)
            try connection.sendText("still here")
            #expect(try connection.readMessage().text == "still here")
            #expect(try connection.closeHandshake().closeCode == 1000)
        }

        @Test func theLogLevelFiltersEvents() throws {
            let (quiet, echo, port, _) = try Self.startProxy(logLevel: "warn")
            defer { withExtendedLifetime(echo) {} }
            let connection = try WSTestConnection.open(port: port, path: "/")
            try connection.closeHandshake()
            let (_, rejected, _) = try WSTestConnection.attempt(port: port, path: "/", headers: [("Sec-WebSocket-Version", "8")])
            #expect(rejected.status == 400 || rejected.status == 426)
            quiet.send(signal: SIGTERM)
            #expect(quiet.waitForExit(timeout: 10) == 0)
            let output = quiet.output
            #expect(!output.contains("\"level\":\"info\""))
            #expect(!output.contains("\"event\":\"access\""))
            #expect(output.contains("listening"))
        }
    }
}
