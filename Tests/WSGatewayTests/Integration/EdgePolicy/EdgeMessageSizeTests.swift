import Foundation
import Testing

extension Integration {
    /// Message size limits per direction: an oversized message is closed with 1009 before it gets through.
    @Suite struct EdgeMessageSize {
        static let limit = 1 << 20

        /// Route `/big` to `upstream` with 1 MiB limits both ways.
        static func gateway(upstreamPort: UInt16) throws -> PolicyGateway {
            try PolicyGateway { _ in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "big", "path_prefix": "/big", "upstream": "ws://127.0.0.1:\(upstreamPort)/",
                             "max_message_size": \(limit), "max_upstream_message_size": \(limit)}]}
                """
            }
        }

        @Test("A 10 MiB client message against 1 MiB: one frame or 40 fragments, the client gets 1009 and the upstream at most 1 MiB",
              arguments: [10 << 20, 256 << 10])
        func clientMessageTooBig(fragmentSize: Int) throws {
            let upstream = try RecordingUpstream(echo: false)
            let gateway = try Self.gateway(upstreamPort: upstream.port)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/big")
            try client.sendText("small first")
            #expect(upstream.frames.take(timeout: 5).map { $0.frame.payload.count } == 11)

            let message = Payloads.binary(size: 10 << 20)
            do {
                for start in stride(from: 0, to: message.count, by: fragmentSize) {
                    let end = min(message.count, start + fragmentSize)
                    try client.send(opcode: start == 0 ? Opcode.binary : Opcode.continuation, Array(message[start..<end]),
                                    fin: end == message.count)
                }
            } catch {
                // The gateway may stop reading once it has closed; the close frame is what matters.
            }
            let (close, _) = try client.readClose(timeout: 10)
            #expect(close.closeCode == 1009, "\(close)")
            #expect(upstream.closes.take(timeout: 10) == .some(1001), "the upstream is told the client went away")
            let received = upstream.frames.drain().reduce(0) { $0 + $1.frame.payload.count }
            #expect(received <= Self.limit, "the upstream received \(received) bytes of the oversized message")
        }

        @Test("A 2 MiB upstream message against 1 MiB: the upstream gets 1009, the client 1014 and not the message")
        func upstreamMessageTooBig() throws {
            let upstreamClose = Mailbox<UInt16?>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                // The gateway stops reading once it has closed; the send may fail, the close must come.
                try? peer.connection.send(opcode: Opcode.binary, Payloads.binary(size: 2 << 20))
                upstreamClose.put(try peer.connection.readClose(timeout: 10).close.closeCode)
            }
            let gateway = try Self.gateway(upstreamPort: upstream.port)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/big")
            let (close, skipped) = try client.readClose(timeout: 10)
            #expect(close.closeCode == 1014, "\(close)")
            #expect(skipped.reduce(0) { $0 + $1.payload.count } <= Self.limit)
            #expect(upstreamClose.take(timeout: 10) == .some(1009))
            #expect(upstream.failures.drain().isEmpty)
        }
    }
}
