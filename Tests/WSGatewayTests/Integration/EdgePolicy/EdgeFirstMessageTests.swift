import Foundation
import Testing

extension Integration {
    /// First-message authentication: the client is upgraded without a token and must send one in its
    /// first message within the timeout.
    @Suite struct EdgeFirstMessage {
        /// Route `/fm` to `upstream`, static tokens, first message within 0.5 s.
        static func gateway(files: AuthFiles, upstream: RecordingUpstream) throws -> PolicyGateway {
            try PolicyGateway { _ in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "fm", "path_prefix": "/fm", "upstream": "ws://127.0.0.1:\(upstream.port)/",
                             "auth": {"static_tokens_file": "\(files.tokens)", "first_message": {"timeout": 0.5}}}]}
                """
            }
        }

        @Test("A valid auth message opens the relay; the auth message itself is not forwarded or echoed")
        func accepted() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/fm")
            try client.sendText(#"{"type":"auth","data":{"token":"bob-static-token"}}"#)
            try client.sendText("first real message")
            let reply = try client.readMessage(timeout: 5)
            #expect(reply.text == "first real message", "the first message back must be the echo of the real one")
            let request = try #require(upstream.requests.take(timeout: 5))
            #expect(request.header("X-Auth-Identity") == "bob")
            let forwarded = try #require(upstream.frames.take(timeout: 5))
            #expect(String(decoding: forwarded.frame.payload, as: UTF8.self) == "first real message")
            #expect(try client.closeHandshake().closeCode == 1000)
            #expect(upstream.frames.drain().isEmpty, "nothing else was forwarded")
        }

        @Test("A bad token in the auth message closes with 1008; the upstream is never contacted")
        func badToken() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/fm")
            try client.sendText(#"{"type":"auth","data":{"token":"not-a-known-token"}}"#)
            let (close, skipped) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1008, "\(close)")
            #expect(!close.closeReason.contains("not-a-known-token"))
            #expect(skipped.isEmpty)
            try client.sendClose(code: 1008)
            #expect(try client.socket.waitForEnd(timeout: 5))
            #expect(upstream.requests.take(timeout: 0.2) == nil)
        }

        @Test("No message within the 0.5 s timeout closes with 1008")
        func timeout() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/fm")
            let opened = Deadline.now()
            let (close, _) = try client.readClose(timeout: 5)
            let waited = Deadline.now() - opened
            #expect(close.closeCode == 1008, "\(close)")
            #expect(waited >= 0.4 && waited < 2, "closed after \(waited) s")
            #expect(upstream.requests.take(timeout: 0.1) == nil)
        }
    }
}
