import Testing
import WSHTTP
import WSProtocol

@Suite struct HandshakeWriterTests {
    @Test func switchingProtocolsLayout() {
        let bytes = ServerHandshakeWriter.switchingProtocols(
            key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocol: "chat", extraHeaders: [("X-Served-By", "gw1")])
        #expect(text(bytes) == """
            HTTP/1.1 101 Switching Protocols\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
            Sec-WebSocket-Protocol: chat\r
            X-Served-By: gw1\r
            \r

            """)
    }

    @Test func switchingProtocolsPassesTheUpstreamValidator() throws {
        let key = WebSocketKey.generate()
        let bytes = ServerHandshakeWriter.switchingProtocols(key: key, subprotocol: nil)
        var parser = HTTPResponseHeadParser()
        let result = try bytes.withUnsafeBytes { buffer in try parser.parse(buffer) }
        guard case .complete(let head, _) = result else { throw FixtureError.incomplete }
        let upgrade = try UpstreamResponseValidator.validate(head, key: key, offeredSubprotocols: []).get()
        #expect(upgrade.subprotocol == nil)
    }

    @Test func clientRequestPassesTheClientValidator() throws {
        let key = WebSocketKey.generate()
        let bytes = ClientRequestWriter.build(
            host: "localhost:8080", target: "/echo?x=1", key: key, subprotocols: ["chat", "v2"],
            headers: [("Origin", "http://localhost"), ("X-Evil", "a\nb")])
        let request = text(bytes)
        #expect(request.hasPrefix("GET /echo?x=1 HTTP/1.1\r\nHost: localhost:8080\r\n"))
        #expect(!request.contains("X-Evil"))
        var parser = HTTPRequestHeadParser()
        let result = try bytes.withUnsafeBytes { buffer in try parser.parse(buffer) }
        guard case .complete(let head, _) = result else { throw FixtureError.incomplete }
        let upgrade = try ClientHandshakeValidator.validate(head).get()
        #expect(upgrade.key == key)
        #expect(upgrade.subprotocols == ["chat", "v2"])
        #expect(upgrade.origin == "http://localhost")
    }

    @Test func clientRequestWithoutSubprotocolsHasNoProtocolHeader() {
        let request = text(ClientRequestWriter.build(host: "h", target: "/", key: HandshakeFixture.key))
        #expect(!request.contains("Sec-WebSocket-Protocol"))
    }
}
