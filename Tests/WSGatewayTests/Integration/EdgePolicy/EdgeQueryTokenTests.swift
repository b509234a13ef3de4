import Foundation
import Testing

extension Integration {
    /// A token in the query string, through the `wsgate` binary: gone from what the upstream receives
    /// and from every line the process logs.
    @Suite struct EdgeQueryToken {
        @Test("?token=…&x=1: the upstream gets ?x=1, and neither an accepted nor a refused token is logged")
        func queryTokenStrippedAndNotLogged() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let port = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 1, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [{"name": "q", "upstream": "ws://127.0.0.1:\(upstream.port)/",
                             "auth": {"static_tokens_file": "\(files.tokens)"}}]}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)

            let client = try WSTestConnection.open(port: port, path: "/room?token=alice-static-token&x=1")
            let request = try #require(upstream.requests.take(timeout: 5))
            #expect(request.target == "/room?x=1")
            #expect(request.header("X-Auth-Identity") == "alice")
            try client.sendText("hello")
            #expect(try client.readMessage().text == "hello")
            #expect(try client.closeHandshake().closeCode == 1000)

            let refused = try WSTestConnection.attempt(port: port, path: "/room?x=2&token=zz-refused-secret-42").1
            #expect(refused.status == 401)
            #expect(!refused.bodyText.contains("zz-refused-secret-42"))

            // Both connections are logged once they end: wait for the access and the rejection lines.
            let deadline = Deadline.after(5)
            while !(gateway.output.contains("\"access\"") && gateway.output.contains("handshake_rejected")) && !deadline.passed {
                usleep(20_000)
            }
            gateway.send(signal: SIGTERM)
            #expect(gateway.waitForExit(timeout: 10) == 0)
            let log = gateway.output
            #expect(log.contains("\"access\"") && log.contains("handshake_rejected"), "expected log lines in: \(log)")
            #expect(!log.contains("alice-static-token"), "the accepted token is in the log: \(log)")
            #expect(!log.contains("zz-refused-secret-42"), "the refused token is in the log: \(log)")
        }
    }
}
