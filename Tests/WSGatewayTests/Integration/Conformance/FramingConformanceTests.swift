import Glibc
import Testing
import WSGateway

extension Integration.Conformance {
    /// Autobahn 1.1/1.2 (text and binary payload lengths) and 5.x (fragmentation): every length class of
    /// the frame header, as one frame and split into 2 and 7 fragments; the fragments come back as sent.
    @Suite struct Framing {
        static let sizes = [0, 125, 126, 127, 65_535, 65_536, 1 << 20]

        @Test("1.x/5.x: text and binary echo at every length class, whole and in 2 or 7 fragments",
              arguments: [Opcode.text, Opcode.binary], [1, 2, 7])
        func payloadLengths(opcode: UInt8, pieces: Int) throws {
            let session = try EchoSession()
            defer { session.stop() }
            for size in Self.sizes {
                let payload = opcode == Opcode.text ? Payloads.text(size: size) : Payloads.binary(size: size)
                try session.sendMessage(opcode: opcode, payload, pieces: pieces)
                try session.expectEcho(opcode: opcode, payload, frames: pieces)
            }
            try session.finish()
        }

        @Test("5.6–5.8/5.19: pings interleaved between fragments are answered in place, the message comes back whole")
        func pingsBetweenFragments() throws {
            let session = try EchoSession()
            defer { session.stop() }
            let parts = (0..<5).map { Array("fragment \($0) ✓ ".utf8) }
            for (index, part) in parts.enumerated() {
                try session.client.send(opcode: index == 0 ? Opcode.text : Opcode.continuation, part, fin: index == 4)
                if index < 4 { try session.client.send(opcode: Opcode.ping, Array("ping \(index)".utf8)) }
            }
            let message = try session.client.readMessage()
            #expect(message.text == parts.map { String(decoding: $0, as: UTF8.self) }.joined())
            #expect(message.frames == 5)
            #expect(message.controlFrames.map(\.opcode) == Array(repeating: Opcode.pong, count: 4))
            #expect(message.controlFrames.map(\.payload) == (0..<4).map { Array("ping \($0)".utf8) })
            try session.finish()
        }

        @Test("5.x: fragment order errors close with 1002", arguments: [
            ("5.3: continuation with nothing to continue (FIN)", [WSFrame(fin: true, opcode: Opcode.continuation, payload: [0x61])]),
            ("5.4: continuation with nothing to continue (no FIN)", [WSFrame(fin: false, opcode: Opcode.continuation, payload: [0x61])]),
            ("5.9: text fragment then a new text frame", [WSFrame(fin: false, opcode: Opcode.text, payload: [0x61]),
                                                          WSFrame(opcode: Opcode.text, payload: [0x62])]),
            ("5.10: binary fragment then a new binary frame", [WSFrame(fin: false, opcode: Opcode.binary, payload: [1]),
                                                               WSFrame(opcode: Opcode.binary, payload: [2])]),
            ("5.11: text fragment then a binary frame", [WSFrame(fin: false, opcode: Opcode.text, payload: [0x61]),
                                                         WSFrame(fin: false, opcode: Opcode.binary, payload: [2])]),
            ("5.1: fragmented ping", [WSFrame(fin: false, opcode: Opcode.ping, payload: [1]),
                                      WSFrame(opcode: Opcode.continuation, payload: [2])]),
            ("5.2: fragmented pong", [WSFrame(fin: false, opcode: Opcode.pong, payload: [1]),
                                      WSFrame(opcode: Opcode.continuation, payload: [2])]),
        ])
        func fragmentOrderErrors(name: String, frames: [WSFrame]) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.sendText("before")
            try session.expectEcho(opcode: Opcode.text, Array("before".utf8))
            for frame in frames { try session.client.send(frame) }
            let skipped = try session.expectClose(1002)
            #expect(skipped.filter { $0.opcode < Opcode.close && $0.fin }.isEmpty, "\(name): a broken message was echoed")
        }

        @Test("9.x: 1,000 messages pipelined in one burst come back in order; 1,000 more one at a time")
        func thousandMessages() throws {
            let session = try EchoSession()
            defer { session.stop() }
            var burst: [UInt8] = []
            for index in 0..<1_000 {
                burst += WSFrame(opcode: index % 2 == 0 ? Opcode.text : Opcode.binary, payload: Array("message \(index)".utf8))
                    .encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try session.client.socket.send(burst)
            for index in 0..<1_000 {
                try session.expectEcho(opcode: index % 2 == 0 ? Opcode.text : Opcode.binary, Array("message \(index)".utf8))
            }
            for index in 0..<1_000 {
                try session.client.send(opcode: Opcode.binary, Payloads.binary(size: index % 200, seed: UInt64(index + 1)))
                try session.expectEcho(opcode: Opcode.binary, Payloads.binary(size: index % 200, seed: UInt64(index + 1)))
            }
            try session.finish()
        }

        /// The gateway closes as soon as the header of the frame that crosses the limit arrives. Each earlier
        /// fragment's echo is awaited and the crossing frame is sent as its header and a few payload bytes
        /// in one write, so the gateway has read everything when it closes (see `oversizeMessageStreamed`).
        @Test("9.x: a message one byte over the 1 MiB limit closes with 1009, as one frame or fragmented",
              arguments: [1, 7])
        func oversizeMessage(pieces: Int) throws {
            let session = try EchoSession()
            defer { session.stop() }
            let size = (1 << 20) + 1
            for index in 0..<pieces {
                let length = size * (index + 1) / pieces - size * index / pieces
                let last = index == pieces - 1
                let frame = WSFrame(fin: last, opcode: index == 0 ? Opcode.binary : Opcode.continuation,
                                    payload: Payloads.binary(size: length)).encoded(maskKey: .random(in: 1...UInt32.max))
                try session.client.socket.send(last ? Array(frame[..<(14 + 16)]) : frame)
                if !last {
                    let echo = try session.client.readFrame(timeout: 30)
                    #expect(echo.payload.count == length && !echo.fin, "\(echo)")
                }
            }
            let skipped = try session.expectClose(1009)
            #expect(skipped.isEmpty, "echoed before the close: \(skipped)")
        }

        /// An offending client that goes on sending is not closed with unread input (the kernel would answer
        /// with a reset that discards the queued close frame): after its close frame the gateway half-closes
        /// and discards its input until EOF or close_timeout. Here the client sends six fragments without
        /// reading their echoes (its window fills) and then the fragment that crosses the limit, with
        /// payload behind it.
        @Test("9.x: a client that sends on past the limit without reading still receives the 1009 close")
        func oversizeMessageStreamed() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try? session.sendMessage(opcode: Opcode.binary, Payloads.binary(size: 2 << 20), pieces: 14)
            usleep(200_000)
            let (close, _) = try session.client.readClose(timeout: 10)
            #expect(close.closeCode == 1009, "\(close)")
        }
    }
}
