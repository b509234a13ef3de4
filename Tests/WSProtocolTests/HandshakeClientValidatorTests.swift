import Testing
import WSHTTP
import WSProtocol

@Suite struct HandshakeClientValidatorTests {
    func rejection(
        requestLine: String = "GET /chat?room=1 HTTP/1.1", replacing: [String: String?] = [:], adding: [String] = []
    ) throws -> HandshakeRejection? {
        let lines = HandshakeFixture.upgradeLines(requestLine: requestLine, replacing: replacing, adding: adding)
        if case .failure(let rejection) = ClientHandshakeValidator.validate(try HandshakeFixture.request(lines)) {
            return rejection
        }
        return nil
    }

    func headerValue(_ rejection: HandshakeRejection?, _ name: String) -> String? {
        rejection?.headers.first { $0.0 == name }?.1
    }

    @Test func acceptsAValidRequest() throws {
        let upgrade = try HandshakeFixture.validUpgrade(adding: [
            "Origin: https://app.example.com",
            "Sec-WebSocket-Protocol: chat, superchat",
            "Sec-WebSocket-Protocol: v3.json",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-custom; a=\"1,2\"",
        ])
        #expect(upgrade.host == "gw.example.com")
        #expect(upgrade.key == HandshakeFixture.key)
        #expect(upgrade.subprotocols == ["chat", "superchat", "v3.json"])
        #expect(upgrade.extensionOffers == ["permessage-deflate; client_max_window_bits", "x-custom; a=\"1,2\""])
        #expect(upgrade.origin == "https://app.example.com")
        #expect(upgrade.head.path == "/chat")
    }

    @Test func tokensMatchInAnyCaseAndInLists() throws {
        let lines = HandshakeFixture.upgradeLines(
            replacing: ["Upgrade": "WebSocket", "Connection": "keep-alive, UPGRADE"])
        let upgrade = try ClientHandshakeValidator.validate(HandshakeFixture.request(lines)).get()
        #expect(upgrade.subprotocols.isEmpty)
        #expect(upgrade.origin == nil)
    }

    @Test func methodOtherThanGET() throws {
        let rejection = try rejection(requestLine: "POST /chat HTTP/1.1")
        #expect(rejection?.status == 405)
        #expect(headerValue(rejection, "Allow") == "GET")
    }

    @Test func missingOrWrongUpgrade() throws {
        for replacement: String? in [nil, "h2c", "websocket2"] {
            let rejection = try rejection(replacing: ["Upgrade": replacement])
            #expect(rejection?.status == 426)
            #expect(headerValue(rejection, "Upgrade") == "websocket")
            #expect(headerValue(rejection, "Connection") == "Upgrade")
            #expect(rejection?.reason.contains("WebSocket upgrade is required") == true)
        }
    }

    @Test func http10() throws {
        #expect(try rejection(requestLine: "GET /chat HTTP/1.0")?.status == 400)
    }

    @Test func missingHost() throws {
        let rejection = try rejection(replacing: ["Host": nil])
        #expect(rejection?.status == 400)
        #expect(rejection?.reason.contains("Host") == true)
    }

    @Test func connectionWithoutUpgradeToken() throws {
        for replacement: String? in [nil, "keep-alive", "upgraded", "close"] {
            let rejection = try rejection(replacing: ["Connection": replacement])
            #expect(rejection?.status == 400)
            #expect(rejection?.reason.contains("Connection") == true)
        }
    }

    @Test func wrongVersion() throws {
        for replacement: String? in [nil, "8", "14", "13, 8", ""] {
            let rejection = try rejection(replacing: ["Sec-WebSocket-Version": replacement])
            #expect(rejection?.status == 426, "\(String(describing: replacement))")
            #expect(headerValue(rejection, "Sec-WebSocket-Version") == "13")
        }
        let twice = try rejection(adding: ["Sec-WebSocket-Version: 13"])
        #expect(twice?.status == 426)
    }

    @Test func badKeys() throws {
        let missing = try rejection(replacing: ["Sec-WebSocket-Key": nil])
        #expect(missing?.status == 400)
        #expect(missing?.reason == "missing Sec-WebSocket-Key")
        let invalid = try rejection(replacing: ["Sec-WebSocket-Key": "AAECAwQFBgcICQoLDA0O"])
        #expect(invalid?.status == 400)
        #expect(invalid?.reason == "invalid Sec-WebSocket-Key")
        let duplicate = try rejection(adding: ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="])
        #expect(duplicate?.status == 400)
        #expect(duplicate?.reason == "duplicate Sec-WebSocket-Key")
    }

    @Test func subprotocolsMustBeTokens() throws {
        for value in ["chat, bad/name", "with space", "chat, \"quoted\""] {
            let rejection = try rejection(adding: ["Sec-WebSocket-Protocol: \(value)"])
            #expect(rejection?.status == 400, "\(value)")
        }
    }

    @Test func rejectionResponseIsAClosingPlainTextAnswer() throws {
        let rejection = try #require(try rejection(replacing: ["Upgrade": nil]))
        let response = text(rejection.response)
        #expect(response.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(response.contains("Upgrade: websocket\r\n"))
        #expect(response.hasSuffix("\r\n\r\n\(rejection.reason)\n"))
    }
}
