import Testing

extension Integration.Conformance {
    /// Autobahn 3.x (reserved bits), 4.x (reserved opcodes) and RFC 6455 §5.1/§5.2 masking rules: each
    /// violation closes with 1002, after a valid message that shows the connection worked until then.
    @Suite struct ReservedBitsAndOpcodes {
        @Test("3.x: RSV bits without an extension close with 1002", arguments: [
            (UInt8(0x40), Opcode.text), (0x20, Opcode.text), (0x10, Opcode.binary), (0x70, Opcode.binary),
            (0x40, Opcode.ping), (0x20, Opcode.close), (0x10, Opcode.continuation),
        ] as [(UInt8, UInt8)])
        func reservedBits(rsv: UInt8, opcode: UInt8) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.sendText("valid first")
            try session.expectEcho(opcode: Opcode.text, Array("valid first".utf8))
            if opcode == Opcode.continuation {
                try session.client.send(opcode: Opcode.text, Array("start".utf8), fin: false)
            }
            let payload = opcode == Opcode.close ? [0x03, 0xE8] : Array("reserved".utf8)
            try session.client.send(opcode: opcode, payload, rsv: rsv)
            let skipped = try session.expectClose(1002)
            #expect(!skipped.contains { $0.payload == payload }, "the frame with RSV bits was echoed")
        }

        @Test("4.x: reserved opcodes close with 1002", arguments: [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] as [UInt8])
        func reservedOpcode(opcode: UInt8) throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.sendText("valid first")
            try session.expectEcho(opcode: Opcode.text, Array("valid first".utf8))
            try session.client.send(opcode: opcode, Array("reserved opcode".utf8))
            try session.client.sendText("never echoed")
            let skipped = try session.expectClose(1002)
            #expect(skipped.isEmpty, "\(skipped)")
        }

        @Test("§5.1: an unmasked client frame closes with 1002", arguments: [Opcode.text, Opcode.ping, Opcode.close])
        func unmaskedClientFrame(opcode: UInt8) throws {
            let session = try EchoSession()
            defer { session.stop() }
            let payload = opcode == Opcode.close ? [0x03, 0xE8] : Array("unmasked".utf8)
            try session.client.send(opcode: opcode, payload, masked: false)
            let skipped = try session.expectClose(1002)
            #expect(skipped.isEmpty, "\(skipped)")
        }

        @Test("§5.1: a masked frame from the server: the client gets 1014, the upstream 1002")
        func maskedServerFrame() throws {
            let atUpstream = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                try peer.connection.send(opcode: Opcode.text, Array("masked by mistake".utf8), masked: true)
                atUpstream.put(try peer.connection.readFrame(timeout: 5))
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let (close, skipped) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1014, "\(close)")
            #expect(skipped.isEmpty, "the masked frame reached the client: \(skipped)")
            let toUpstream = atUpstream.take(timeout: 5)
            #expect(toUpstream?.closeCode == 1002, "\(String(describing: toUpstream))")
        }

        @Test("§5.2: a 64-bit length with the top bit set closes with 1002")
        func impossibleLength() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.socket.send([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4])
            try session.expectClose(1002)
        }
    }

    /// Autobahn 12.x and 13.x test permessage-deflate, which wsgate does not negotiate yet: an offer gets a
    /// 101 without the extension, and compressed (RSV1) frames are then a protocol error.
    @Suite struct Extensions {
        @Test("12.x/13.x: permessage-deflate offered → not accepted; an RSV1 frame after that closes with 1002")
        func deflateNotNegotiated() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, headers: [
                ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
            ])
            #expect(client.response?.header("Sec-WebSocket-Extensions") == nil, "\(String(describing: client.response))")
            try client.send(opcode: Opcode.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv: 0x40)
            let (close, _) = try client.readClose(timeout: 5)
            #expect(close.closeCode == 1002, "\(close)")
        }
    }
}
