import Testing
import WSHTTP
import WSProtocol

@Suite struct HandshakeUpstreamResponseTests {
    let key = HandshakeFixture.key
    let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    func validate(
        status: String = "101 Switching Protocols", _ extra: [String] = [], replacing: [String: String?] = [:],
        offered: [String] = ["chat", "superchat"]
    ) throws -> Result<UpstreamUpgrade, UpstreamHandshakeError> {
        var lines = ["HTTP/1.1 \(status)"]
        for (name, value) in [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)] {
            if let replacement = replacing[name] {
                if let replacement { lines.append("\(name): \(replacement)") }
            } else {
                lines.append("\(name): \(value)")
            }
        }
        let head = try HandshakeFixture.response(lines + extra)
        return UpstreamResponseValidator.validate(head, key: key, offeredSubprotocols: offered)
    }

    func error(_ result: Result<UpstreamUpgrade, UpstreamHandshakeError>) -> UpstreamHandshakeError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func acceptsAValid101() throws {
        let upgrade = try validate().get()
        #expect(upgrade.subprotocol == nil)
        #expect(upgrade.head.status == 101)
        let withTokensInAnyCase = try validate(
            replacing: ["Upgrade": "WebSocket", "Connection": "keep-alive, upgrade"])
        #expect(withTokensInAnyCase.isSuccess)
    }

    @Test func acceptsAnOfferedSubprotocol() throws {
        #expect(try validate(["Sec-WebSocket-Protocol: superchat"]).get().subprotocol == "superchat")
    }

    @Test func non101CarriesTheStatus() throws {
        for (line, status) in [("403 Forbidden", 403), ("200 OK", 200), ("502 Bad Gateway", 502)] {
            let failure = try error(validate(status: line))
            #expect(failure?.upstreamStatus == status)
        }
    }

    @Test func missingUpgradeOrConnection() throws {
        #expect(try error(validate(replacing: ["Upgrade": nil]))?.reason.contains("Upgrade") == true)
        #expect(try error(validate(replacing: ["Upgrade": "h2c"])) != nil)
        #expect(try error(validate(replacing: ["Connection": "close"]))?.reason.contains("Connection") == true)
        #expect(try error(validate(replacing: ["Upgrade": nil]))?.upstreamStatus == nil)
    }

    @Test func wrongOrMissingAccept() throws {
        for replacement: String? in [nil, "C/0nmHhBztSRGR1CwL6Tf4ZjwpY=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo"] {
            let failure = try error(validate(replacing: ["Sec-WebSocket-Accept": replacement]))
            #expect(failure?.reason.contains("Accept") == true)
        }
        #expect(try error(validate(["Sec-WebSocket-Accept: \(accept)"])) != nil)
    }

    @Test func unofferedOrMultipleSubprotocols() throws {
        #expect(try error(validate(["Sec-WebSocket-Protocol: other"]))?.reason.contains("not offered") == true)
        #expect(try error(validate(["Sec-WebSocket-Protocol: chat"], offered: [])) != nil)
        #expect(try error(validate(["Sec-WebSocket-Protocol: CHAT"])) != nil)
        let two = try error(validate(["Sec-WebSocket-Protocol: chat, superchat"]))
        #expect(two?.reason.contains("more than one") == true)
        #expect(try error(validate(["Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat"])) != nil)
    }

    @Test func extensionsPresent() throws {
        let failure = try error(validate(["Sec-WebSocket-Extensions: permessage-deflate"]))
        #expect(failure?.reason.contains("extension") == true)
    }
}
