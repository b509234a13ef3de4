import Testing

extension Integration.Conformance {
    /// Autobahn 7.x: the closing handshake. wsgate validates close frames itself (it reads them anyway):
    /// codes that must not appear on the wire and reasons that are not UTF-8 are refused before the
    /// backend sees them; valid ones travel to the echo, whose reply carries the same code.
    @Suite struct Closing {
        @Test("7.1.1/7.3.1: an empty close frame is answered and the stream ends")
        func emptyClose() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.sendText("Hello")
            try session.expectEcho(opcode: Opcode.text, Array("Hello".utf8))
            try session.client.send(opcode: Opcode.close, [])
            let (close, skipped) = try session.client.readClose(timeout: 5)
            #expect(skipped.isEmpty)
            #expect(close.payload.isEmpty || close.closeCode == 1000, "\(close)")
            #expect(try session.client.socket.waitForEnd(timeout: 5))
        }

        @Test("7.1.2–7.1.5: frames after the client's close are ignored: only the close comes back")
        func framesAfterClose() throws {
            let session = try EchoSession()
            defer { session.stop() }
            var burst = WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 1000)).encoded(maskKey: 11)
            burst += WSFrame(opcode: Opcode.text, payload: Array("after close".utf8)).encoded(maskKey: 12)
            burst += WSFrame(opcode: Opcode.ping, payload: Array("after close".utf8)).encoded(maskKey: 13)
            burst += WSFrame(opcode: Opcode.close, payload: WSFrame.closePayload(code: 1001)).encoded(maskKey: 14)
            try session.client.socket.send(burst)
            let (close, skipped) = try session.client.readClose(timeout: 5)
            #expect(close.closeCode == 1000, "\(close)")
            #expect(skipped.isEmpty, "frames after the close were answered: \(skipped)")
            #expect(try session.client.socket.waitForEnd(timeout: 5))
        }

        @Test("7.3.2: a close payload of one byte closes with 1002")
        func oneBytePayload() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.close, [0x03])
            try session.expectClose(1002)
        }

        @Test("7.3.3/7.3.5/7.7.x: valid close codes travel to the echo and come back, with reasons up to 123 bytes",
              arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] as [UInt16])
        func validCodes(code: UInt16) throws {
            let session = try EchoSession()
            defer { session.stop() }
            let reason = code == 4999 ? String(repeating: "ü", count: 61) + "!" : "reason for \(code) ✓"
            let reply = try session.client.closeHandshake(code: code, reason: reason)
            #expect(reply.closeCode == code, "\(reply)")
            #expect(!reply.masked)
        }

        @Test("7.9.x: close codes that must not appear on the wire close with 1002",
              arguments: [0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
        func invalidCodes(code: UInt16) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.sendClose(code: code, reason: "invalid code")
            try session.expectClose(1002)
        }

        @Test("7.5.1: a close reason that is not UTF-8 closes with 1007")
        func invalidReason() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.close, WSFrame.closePayload(code: 1000)
                + [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64])
            try session.expectClose(1007)
        }
    }
}
