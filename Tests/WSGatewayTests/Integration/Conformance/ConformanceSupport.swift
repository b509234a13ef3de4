import Testing
import WSGateway

extension Integration {
    /// RFC 6455 conformance through the gateway, modelled on the Autobahn|Testsuite case groups that apply
    /// without extensions (1–7, 9; 12 and 13 reduced to "permessage-deflate is not negotiated"). Raw frames
    /// go from a test client through wsgate to the built-in echo backend (or a scripted or Python
    /// upstream); every case states the outcome it expects: the echo, or a close code, then the end of the
    /// TCP stream.
    @Suite struct Conformance {}
}

/// A client connection to a fresh gateway's echo route, with the checks conformance cases share.
struct EchoSession {
    let gateway: TestGateway
    let client: WSTestConnection

    init(policy: RoutePolicy = .standard) throws {
        gateway = try TestGateway(echoPolicy: policy)
        client = try WSTestConnection.open(port: gateway.port)
    }

    func stop() { gateway.stop() }

    /// Sends `payload` as one message in `pieces` frames (the first carries `opcode`, the rest are
    /// continuations; sizes differ by at most one byte), in one write.
    func sendMessage(opcode: UInt8, _ payload: [UInt8], pieces: Int) throws {
        var bytes: [UInt8] = []
        for index in 0..<pieces {
            let range = payload.count * index / pieces..<payload.count * (index + 1) / pieces
            bytes += WSFrame(fin: index == pieces - 1, opcode: index == 0 ? opcode : Opcode.continuation,
                             payload: Array(payload[range])).encoded(maskKey: .random(in: 1...UInt32.max))
        }
        try client.socket.send(bytes, timeout: 60)
    }

    /// The next message must be `payload` with `opcode`, in `frames` frames.
    func expectEcho(opcode: UInt8, _ payload: [UInt8], frames: Int? = nil) throws {
        let message = try client.readMessage(timeout: 60)
        #expect(message.opcode == opcode, "opcode \(message.opcode)")
        #expect(Payloads.difference(message.payload, payload) == nil)
        if let frames { #expect(message.frames == frames, "fragments not preserved") }
    }

    /// Ends a case that broke nothing: the client's close 1000 comes back and the stream ends.
    func finish() throws {
        #expect(try client.closeHandshake().closeCode == 1000)
    }

    /// The next frames must end in a close frame with `code` from the gateway (or the backend), and the
    /// stream must end after it. Returns the frames that came before the close.
    @discardableResult
    func expectClose(_ code: UInt16) throws -> [WSFrame] {
        let (close, skipped) = try client.readClose(timeout: 10)
        #expect(close.closeCode == code, "expected close \(code), got \(close)")
        #expect(!close.masked, "the gateway masked its close frame")
        if ![1002, 1007, 1009].contains(code) {
            // Not a protocol violation by this client: it answers, completing the close handshake.
            try client.sendClose(code: code)
        }
        // A peer that broke the protocol is not waited for; one that answered is closed at once.
        #expect(try client.socket.waitForEnd(timeout: 5), "stream still open after \(close)")
        return skipped
    }
}
