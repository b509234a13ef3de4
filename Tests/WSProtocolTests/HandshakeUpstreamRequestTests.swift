import Testing
import WSHTTP
import WSProtocol

@Suite struct HandshakeUpstreamRequestTests {
    let forwarding = ForwardingInfo(clientAddress: "203.0.113.7", scheme: "https")
    let upstreamKey = "AAECAwQFBgcICQoLDA0ODw=="

    func upstreamHead(
        adding: [String], removeHeaders: Set<String> = [], addHeaders: [(String, String)] = []
    ) throws -> HTTPRequestHead {
        let client = try HandshakeFixture.validUpgrade(adding: adding)
        let bytes = UpstreamRequestBuilder.build(
            client: client, upstreamAuthority: "10.0.0.5:9000", target: "/internal/chat?room=1", key: upstreamKey,
            forwarding: forwarding, removeHeaders: removeHeaders, addHeaders: addHeaders)
        var parser = HTTPRequestHeadParser()
        let result = try bytes.withUnsafeBytes { buffer in try parser.parse(buffer) }
        guard case .complete(let head, let length) = result, length == bytes.count else {
            throw FixtureError.incomplete
        }
        return head
    }

    @Test func gatewayHandshakeFieldsComeFirst() throws {
        let head = try upstreamHead(adding: [])
        #expect(head.method == "GET")
        #expect(head.target == "/internal/chat?room=1")
        #expect(head.versionMinor == 1)
        #expect(Array(head.headers.fields.prefix(5).map { "\($0.name): \($0.value)" }) == [
            "Host: 10.0.0.5:9000",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: \(upstreamKey)",
        ])
        #expect(ClientHandshakeValidator.validate(head).isSuccess)
    }

    @Test func endToEndHeadersPassInOrder() throws {
        let head = try upstreamHead(adding: [
            "Sec-WebSocket-Protocol: chat, superchat",
            "Origin: https://app.example.com",
            "User-Agent: test/1.0",
            "Cookie: session=abc",
            "Authorization: Bearer t0k3n",
            "X-Custom: kept",
        ])
        let passed = head.headers.fields.dropFirst(5).prefix(6).map { "\($0.name): \($0.value)" }
        #expect(Array(passed) == [
            "Sec-WebSocket-Protocol: chat, superchat",
            "Origin: https://app.example.com",
            "User-Agent: test/1.0",
            "Cookie: session=abc",
            "Authorization: Bearer t0k3n",
            "X-Custom: kept",
        ])
    }

    @Test func hopByHopAndReplacedHeadersAreDropped() throws {
        let head = try upstreamHead(adding: [
            "Keep-Alive: timeout=5",
            "Proxy-Connection: keep-alive",
            "Proxy-Authorization: Basic eDp5",
            "Proxy-Authenticate: Basic",
            "TE: trailers",
            "Trailer: X-Checksum",
            "Sec-WebSocket-Extensions: permessage-deflate",
            "Sec-WebSocket-Accept: bogus",
            "X-Real-IP: 1.2.3.4",
            "X-Forwarded-Proto: http",
            "X-Forwarded-Host: spoofed.example",
        ])
        for name in [
            "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate", "TE", "Trailer",
            "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept",
        ] {
            #expect(!head.headers.contains(name), "\(name) must not be forwarded")
        }
        for name in ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "X-Real-IP",
            "X-Forwarded-Proto", "X-Forwarded-Host"] {
            #expect(head.headers.values(name).count == 1, "\(name) must appear once")
        }
        #expect(head.headers.first("Sec-WebSocket-Key") == upstreamKey)
    }

    @Test func headersNamedInConnectionAreDropped() throws {
        let lines = HandshakeFixture.upgradeLines(
            replacing: ["Connection": "Upgrade, X-Hop-Secret"],
            adding: ["X-Hop-Secret: 1", "x-hop-secret: 2", "X-Kept: 3"])
        let client = try ClientHandshakeValidator.validate(HandshakeFixture.request(lines)).get()
        let bytes = UpstreamRequestBuilder.build(
            client: client, upstreamAuthority: "u", target: "/", key: upstreamKey, forwarding: forwarding)
        let request = text(bytes)
        #expect(!request.lowercased().contains("x-hop-secret"))
        #expect(request.contains("X-Kept: 3\r\n"))
    }

    @Test func forwardingHeaders() throws {
        let head = try upstreamHead(adding: [])
        #expect(head.headers.first("X-Forwarded-For") == "203.0.113.7")
        #expect(head.headers.first("X-Forwarded-Proto") == "https")
        #expect(head.headers.first("X-Forwarded-Host") == "gw.example.com")
        #expect(head.headers.first("X-Real-IP") == "203.0.113.7")
    }

    @Test func existingForwardedForIsExtended() throws {
        let head = try upstreamHead(adding: ["X-Forwarded-For: 198.51.100.1, 10.1.1.1", "X-Forwarded-For: 10.2.2.2"])
        #expect(head.headers.values("X-Forwarded-For") == ["198.51.100.1, 10.1.1.1, 10.2.2.2, 203.0.113.7"])
    }

    @Test func removeAndAddHeaders() throws {
        let head = try upstreamHead(
            adding: ["Cookie: a=b", "Authorization: Bearer x", "X-Keep: 1"],
            removeHeaders: ["cookie", "authorization"],
            addHeaders: [("X-Gateway-User", "alice"), ("X-Bad", "a\r\nInjected: 1")])
        #expect(!head.headers.contains("Cookie"))
        #expect(!head.headers.contains("Authorization"))
        #expect(!head.headers.contains("Injected"))
        #expect(!head.headers.contains("X-Bad"))
        #expect(head.headers.first("X-Keep") == "1")
        #expect(head.headers.fields.last.map { "\($0.name): \($0.value)" } == "X-Gateway-User: alice")
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
