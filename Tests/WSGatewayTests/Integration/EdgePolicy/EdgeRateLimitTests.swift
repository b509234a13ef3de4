import Foundation
import Testing

extension Integration {
    /// Per-connection message rates: a client over its rate is slowed to it, or closed with 1008.
    @Suite struct EdgeRateLimit {
        static let rate = 200
        static let burst = 10

        /// Route `/rate` to `upstream` with a client rate of 200 messages/s (burst 10) and `action`.
        static func gateway(upstreamPort: UInt16, action: String) throws -> PolicyGateway {
            try PolicyGateway { _ in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "rate", "path_prefix": "/rate", "upstream": "ws://127.0.0.1:\(upstreamPort)/",
                             "client_rate": {"messages_per_second": \(rate), "burst_messages": \(burst)},
                             "rate_limit_action": "\(action)"}]}
                """
            }
        }

        /// `count` masked 16-byte text frames in one buffer, so they arrive together.
        static func batch(_ count: Int) -> [UInt8] {
            (0..<count).flatMap { _ in
                WSFrame(opcode: Opcode.text, payload: Array("rate-limit-probe".utf8)).encoded(maskKey: .random(in: 1...UInt32.max))
            }
        }

        @Test("Throttle: a client blasting for 2 s is forwarded at 200 messages/s (±10%)")
        func throttle() throws {
            let upstream = try RecordingUpstream(echo: false)
            let gateway = try Self.gateway(upstreamPort: upstream.port, action: "throttle")
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/rate")
            let frames = Self.batch(50)
            let window = 2.0
            let started = Deadline.now()
            var sent = 0
            while Deadline.now() - started < window {
                // Sending blocks while the gateway pushes back; the blast stops at the end of the window.
                guard (try? client.socket.send(frames, timeout: max(0.01, window - (Deadline.now() - started)))) != nil else { break }
                sent += 50
            }
            usleep(100_000)
            let arrivals = upstream.frames.drain().map(\.at).filter { $0 >= started && $0 < started + window }
            let measured = Double(arrivals.count) / window
            #expect(sent > Self.rate * 4, "the client sent only \(sent) messages: not a blast")
            #expect(abs(measured - Double(Self.rate)) <= Double(Self.rate) * 0.1,
                    "forwarded \(arrivals.count) of \(sent) messages in \(window) s: \(measured)/s, limit \(Self.rate)/s")
            client.socket.abort()
        }

        @Test("Close: a client over its rate gets 1008; no more than the burst reaches the upstream")
        func close() throws {
            let upstream = try RecordingUpstream(echo: false)
            let gateway = try Self.gateway(upstreamPort: upstream.port, action: "close")
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/rate")
            try client.socket.send(Self.batch(50))
            let (close, _) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1008, "\(close)")
            #expect(upstream.closes.take(timeout: 5) == .some(1001))
            let forwarded = upstream.frames.drain().count
            #expect(forwarded <= Self.burst, "\(forwarded) messages reached the upstream; the burst is \(Self.burst)")
        }
    }
}
