import Testing
import WSGateway

extension Integration {
    /// Messages of every length class (7-bit, 16-bit and 64-bit lengths, and 16 MiB) cross the gateway
    /// and the echo and come back byte for byte, over ws and wss.
    @Suite struct RelayPayloads {
        static let sizes = [0, 125, 126, 65_535, 65_536, 16 << 20]

        @Test("text and binary echo byte-exact", arguments: [false, true], sizes)
        func echo(tls: Bool, size: Int) throws {
            let gateway = try TestGateway(tls: tls)
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
    }
}
