import Testing

extension Integration.Conformance {
    /// Autobahn 2.x: pings and pongs. Pings reach the echo and its pongs come back with the same payload;
    /// oversize control frames are refused by the gateway before the backend sees them.
    @Suite struct ControlFrames {
        @Test("2.1–2.3/2.5: a ping of 0, 1, 125 bytes (text or binary payload) gets a pong with the same payload",
              arguments: [[UInt8](), Array("x".utf8), Array(repeating: 0xFE, count: 125), Array(0...124)])
        func pingPong(payload: [UInt8]) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.ping, payload)
            let pong = try session.client.readFrame()
            #expect(pong.opcode == Opcode.pong && pong.payload == payload && !pong.masked, "\(pong)")
            try session.finish()
        }

        @Test("2.4/2.6: a control frame with 126 payload bytes closes with 1002", arguments: [Opcode.ping, Opcode.pong, Opcode.close])
        func oversizeControlFrame(opcode: UInt8) throws {
            let session = try EchoSession()
            defer { session.stop() }
            let payload = opcode == Opcode.close ? [0x03, 0xE8] + Array(repeating: UInt8(ascii: "r"), count: 124)
                : Array(repeating: UInt8(0x21), count: 126)
            try session.client.send(opcode: opcode, payload)
            let skipped = try session.expectClose(1002)
            #expect(skipped.isEmpty, "\(skipped)")
        }

        @Test("2.7/2.8: unsolicited pongs get no answer; the connection goes on")
        func unsolicitedPong() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.pong, [])
            try session.client.send(opcode: Opcode.pong, Array("unsolicited".utf8))
            try session.client.sendText("still here")
            let message = try session.client.readMessage()
            #expect(message.text == "still here")
            #expect(message.controlFrames.isEmpty, "pongs were answered: \(message.controlFrames)")
            try session.finish()
        }

        @Test("2.10/2.11: ten pings in a burst get ten pongs in order")
        func tenPings() throws {
            let session = try EchoSession()
            defer { session.stop() }
            var burst: [UInt8] = []
            for index in 0..<10 {
                burst += WSFrame(opcode: Opcode.ping, payload: Array("ping \(index)".utf8)).encoded(maskKey: .random(in: 1...UInt32.max))
            }
            try session.client.socket.send(burst)
            for index in 0..<10 {
                let pong = try session.client.readFrame()
                #expect(pong.opcode == Opcode.pong && pong.payload == Array("ping \(index)".utf8), "\(pong)")
            }
            try session.finish()
        }
    }
}
