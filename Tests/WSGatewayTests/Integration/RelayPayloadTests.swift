import Testing
import WSGateway

extension Integration {
    /// Messages of every length class (7-bit, 16-bit and 64-bit lengths, and 16 MiB) cross the gateway
    /// and the echo and come back byte for byte, over ws and wss.
    @Suite struct RelayPayloads {
        static let sizes = [0, 125, 126, 65_535, 65_536, 16 << 20]

        /// The standard policy with message sizes unlimited (the standard 1 MiB would refuse 16 MiB).
        static let unlimited = RoutePolicy.with {
            $0.limits.maxMessageSize = 0
            $0.limits.maxUpstreamMessageSize = 0
        }

        @Test("text and binary echo byte-exact", arguments: [false, true], sizes)
        func echo(tls: Bool, size: Int) throws {
            let gateway = try TestGateway(echoPolicy: Self.unlimited, tls: tls)
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: tls ? gateway.tlsPort! : gateway.port,
                                                   tls: tls ? try TestEnvironment.clientTLS() : nil)
            for (opcode, payload) in [(Opcode.text, Payloads.text(size: size)), (Opcode.binary, Payloads.binary(size: size))] {
                try client.send(opcode: opcode, payload, timeout: 60)
                let message = try client.readMessage(timeout: 60)
                #expect(message.opcode == opcode)
                #expect(Payloads.difference(message.payload, payload) == nil)
            }
            #expect(try client.closeHandshake().closeCode == 1000)
        }

        @Test("several messages sent back to back come back in order")
        func pipelined() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            let messages = (0..<50).map { "message \($0) " + String(repeating: "•", count: $0 * 37) }
            var burst: [UInt8] = []
            for text in messages {
                burst += WSFrame(opcode: Opcode.text, payload: Array(text.utf8)).encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try client.socket.send(burst)
            for text in messages {
                #expect(try client.readMessage().text == text)
            }
        }

        /// With a 4 KiB buffer every read of the burst fills it, so one readiness event is more than the
        /// 16 reads a connection gets per turn: the client socket, edge-triggered from its 16th message on,
        /// must be looked at again for the rest (nothing new arrives to report it), or the echo of the last
        /// messages never comes.
        @Test("a burst many times the buffer, read 16 buffers per turn, comes back whole")
        func burstLargerThanSixteenBuffers() throws {
            let gateway = try TestGateway(echoPolicy: RoutePolicy.with { $0.bufferSize = RoutePolicy.bufferSizeRange.lowerBound })
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            let messages = (0..<40).map { Payloads.binary(size: 10_000 + $0) }
            var burst: [UInt8] = []
            for payload in messages {
                burst += WSFrame(opcode: Opcode.binary, payload: payload).encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try client.socket.send(burst)
            for payload in messages {
                #expect(Payloads.difference(try client.readMessage(timeout: 10).payload, payload) == nil)
            }
            #expect(try client.closeHandshake().closeCode == 1000)
        }

        @Test("with the standard limits a 1 MiB message passes and one byte more gets close 1009")
        func standardMessageLimit() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port)
            let largest = Payloads.binary(size: RouteLimits.defaultMessageSize)
            try client.send(opcode: Opcode.binary, largest)
            #expect(Payloads.difference(try client.readMessage().payload, largest) == nil)
            // Announced in the header, so the gateway can refuse before any payload.
            let tooLarge = WSFrame(opcode: Opcode.binary, payload: largest + [0]).encoded(maskKey: 0x0BAD_CAFE)
            try? client.socket.send(tooLarge)
            let (close, skipped) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1009, "\(close)")
            #expect(skipped.isEmpty)
        }
    }
}
