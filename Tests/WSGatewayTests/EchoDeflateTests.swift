import Testing
@testable import WSGateway
import WSProtocol

/// `wsgate echo --deflate`: it negotiates permessage-deflate, inflates each compressed message and
/// compresses its echo again, and keeps the in-place echo for everything else.
@Suite(.serialized) struct EchoDeflateTests {
    static let browserOffer = [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")]
    static let agreement = DeflateAgreement(serverMaxWindowBits: 12, clientMaxWindowBits: 12)

    func open(_ echo: BenchSmokeTests.Echo, headers: [(String, String)] = browserOffer) throws -> WSTestConnection {
        try WSTestConnection.open(port: echo.url.port, path: "/", headers: headers)
    }

    /// Reads one data frame and checks it is `message`, compressed or not as `compressed` says.
    func expectEcho(_ connection: WSTestConnection, _ codec: DeflateTestCodec, opcode: UInt8, _ message: [UInt8],
                    compressed: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let frame = try connection.readFrame(timeout: 10)
        #expect(frame.opcode == opcode && frame.fin && !frame.masked, "\(frame)", sourceLocation: sourceLocation)
        #expect(frame.rsv == (compressed ? 0x40 : 0), "\(frame)", sourceLocation: sourceLocation)
        let payload = compressed ? codec.inflate(frame.payload) : frame.payload
        #expect(payload.map { Payloads.equal($0, message) } == true, "\(frame)", sourceLocation: sourceLocation)
    }

    @Test func compressedMessagesComeBackCompressedAndInOrder() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        let client = try open(echo)
        #expect(client.response?.header("Sec-WebSocket-Extensions") == Self.agreement.headerValue)
        let codec = DeflateTestCodec(Self.agreement, as: .client)
        let first = Array(#"{"text":"hello hello hello"}"#.utf8)
        let plain = Payloads.binary(size: 3_000)
        let fragmented = Payloads.text(size: 20_000)
        // Compressed in the order sent: with context takeover each message may refer to the ones before.
        let firstWire = codec.compress(first)
        let fragmentedWire = codec.compress(fragmented)
        let third = fragmentedWire.count / 3
        // Everything in one write, so the echo finds several messages behind a compressed one.
        var bytes = WSFrame(rsv: 0x40, opcode: Opcode.text, payload: firstWire).encoded(maskKey: 0x0102_0304)
        bytes += WSFrame(opcode: Opcode.binary, payload: plain).encoded(maskKey: 0x0506_0708)
        bytes += WSFrame(fin: false, rsv: 0x40, opcode: Opcode.text, payload: Array(fragmentedWire[..<third]))
            .encoded(maskKey: 0x1111_2222)
        bytes += WSFrame(opcode: Opcode.ping, payload: [1, 2, 3]).encoded(maskKey: 0x3333_4444)
        bytes += WSFrame(fin: false, opcode: Opcode.continuation, payload: Array(fragmentedWire[third..<(2 * third)]))
            .encoded(maskKey: 0x5555_6666)
        bytes += WSFrame(opcode: Opcode.continuation, payload: Array(fragmentedWire[(2 * third)...]))
            .encoded(maskKey: 0x7777_8888)
        try client.socket.send(bytes)

        let inflater = DeflateTestCodec(Self.agreement, as: .client)
        try expectEcho(client, inflater, opcode: Opcode.text, first, compressed: true)
        try expectEcho(client, inflater, opcode: Opcode.binary, plain, compressed: false)
        let pong = try client.readFrame(timeout: 10)
        #expect(pong.opcode == Opcode.pong && pong.payload == [1, 2, 3])
        try expectEcho(client, inflater, opcode: Opcode.text, fragmented, compressed: true)

        // Context takeover over many messages, sent ahead of reading (the echo's writes back up).
        let messages = (0..<300).map { Array(#"{"seq":\#($0),"text":"the build is green again, ship it"}"#.utf8) }
        var batch: [UInt8] = []
        for message in messages {
            batch += WSFrame(rsv: 0x40, opcode: Opcode.text, payload: codec.compress(message)).encoded(maskKey: 0x0A0B_0C0D)
        }
        try client.socket.send(batch)
        for message in messages { try expectEcho(client, inflater, opcode: Opcode.text, message, compressed: true) }
        #expect(try client.closeHandshake().closeCode == 1000)
    }

    @Test func aLargeCompressedMessageIsEchoedWhole() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        let client = try open(echo)
        let codec = DeflateTestCodec(Self.agreement, as: .client)
        let message = Payloads.binary(size: 4 << 20)
        let small = Array("right behind it".utf8)
        try client.send(opcode: Opcode.binary, codec.compress(message), rsv: 0x40, timeout: 30)
        // Waits in the echo's buffer while the large echo is blocked on the socket, until it is read.
        try client.send(opcode: Opcode.text, codec.compress(small), rsv: 0x40)
        let inflater = DeflateTestCodec(Self.agreement, as: .client)
        try expectEcho(client, inflater, opcode: Opcode.binary, message, compressed: true)
        try expectEcho(client, inflater, opcode: Opcode.text, small, compressed: true)
        #expect(try client.closeHandshake().closeCode == 1000)
    }

    @Test func noContextTakeoverIsGrantedAndHonoured() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        let offer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        let client = try open(echo, headers: [("Sec-WebSocket-Extensions", offer)])
        let agreement = DeflateAgreement(serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 12)
        #expect(client.response?.header("Sec-WebSocket-Extensions") == agreement.headerValue)
        let codec = DeflateTestCodec(agreement, as: .client)
        let message = Array(String(repeating: "no context takeover ", count: 20).utf8)
        var echoes: [[UInt8]] = []
        for _ in 0..<2 {
            try client.send(opcode: Opcode.text, codec.compress(message), rsv: 0x40)
            let frame = try client.readFrame(timeout: 10)
            #expect(frame.rsv == 0x40 && codec.inflate(frame.payload) == message)
            echoes.append(frame.payload)
        }
        // Each echo starts from an empty window, so the same message compresses the same way twice.
        #expect(echoes[0] == echoes[1])
    }

    @Test func invalidDeflateDataClosesWith1007() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        let client = try open(echo)
        try client.send(opcode: Opcode.binary, [0xFF, 0xFF, 0xFF, 0xFF], rsv: 0x40)
        #expect(try client.readClose(timeout: 10).close.closeCode == 1007)
    }

    @Test(arguments: [true, false])
    func withoutAnAgreementRSV1IsAProtocolError(echoDeflates: Bool) throws {
        let echo = try BenchSmokeTests.Echo(deflate: echoDeflates)
        defer { echo.stop() }
        // Offered to an echo without --deflate, or not offered to one with it: no extension either way.
        let client = try open(echo, headers: echoDeflates ? [] : Self.browserOffer)
        #expect(client.response?.header("Sec-WebSocket-Extensions") == nil)
        try client.send(opcode: Opcode.text, Array("plain".utf8))
        #expect(try client.readFrame(timeout: 10) == WSFrame(opcode: Opcode.text, payload: Array("plain".utf8)))
        try client.send(opcode: Opcode.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv: 0x40)
        #expect(try client.readClose(timeout: 10).close.closeCode == 1002)
    }
}
