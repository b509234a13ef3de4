import Testing
@testable import WSGateway

@Suite struct AuthFirstMessageTests {
    let files: AuthFiles
    let authenticator: Authenticator

    init() throws {
        files = try AuthFiles()
        authenticator = try files.authenticator(AuthConfig(
            staticTokensFile: files.tokens, jwt: files.jwtConfig(), firstMessageTimeout: 5_000))
    }

    func judge(_ message: String) -> AuthDecision {
        Array(message.utf8).withUnsafeBytes { authenticator.authenticateFirstMessage($0) }
    }

    @Test func acceptsBothShapes() throws {
        #expect(accepted(judge(#"{"type":"auth","data":{"token":"alice-static-token"}}"#))?.identity == "alice")
        #expect(accepted(judge(#"{"token":"bob-static-token"}"#))?.identity == "bob")
        let jwt = try #require(accepted(judge(#"{"type":"auth","data":{"token":"\#(es256(claims(sub: "dave")))"},"id":7}"#)))
        #expect(jwt.identity == "dave")
        #expect(jwt.addHeaders.map(\.0) == ["X-Auth-Identity"])
        #expect(jwt.removeHeaders == ["x-auth-identity"])
        #expect(jwt.strippedQueryParameter == nil && jwt.strippedSubprotocol == nil)
    }

    @Test func refusesGarbage() {
        let cases: [(String, String)] = [
            ("hello", "malformed auth message"),
            ("", "malformed auth message"),
            ("[\"token\"]", "malformed auth message"),
            (#"{"token":"a","token":"b"}"#, "malformed auth message"),
            (#"{"type":"hello","data":{"token":"alice-static-token"}}"#, "malformed auth message"),
            (#"{"type":"auth","data":"alice-static-token"}"#, "malformed auth message"),
            (#"{"type":"auth"}"#, "malformed auth message"),
            (#"{"type":"auth","data":{}}"#, "missing token"),
            (#"{"other":1}"#, "missing token"),
            (#"{"token":42}"#, "malformed token"),
            (#"{"token":""}"#, "malformed token"),
            (#"{"token":"wrong"}"#, "unknown token"),
            (#"{"token":"\#(hs("256", claims(exp: testNow - 3600)))"}"#, "expired"),
        ]
        for (message, reason) in cases {
            let rejection = rejected(judge(message))
            #expect(rejection?.reason == reason, "\(message)")
            #expect(rejection?.status == 401)
        }
    }

    @Test func refusesOversizeMessages() {
        let padding = String(repeating: " ", count: AuthMessage.maximumSize)
        #expect(rejected(judge(#"{"token":"alice-static-token"}"# + padding))?.reason == "malformed auth message")
        let fits = #"{"token":"alice-static-token"}"#
        #expect(accepted(judge(fits + String(repeating: " ", count: AuthMessage.maximumSize - fits.utf8.count)))?.identity == "alice")
    }

    @Test func allowListAppliesToo() throws {
        let restricted = try files.authenticator(AuthConfig(
            staticTokensFile: files.tokens, allowedIdentities: ["bob"], firstMessageTimeout: 1_000))
        let decision = Array(#"{"token":"alice-static-token"}"#.utf8).withUnsafeBytes { restricted.authenticateFirstMessage($0) }
        #expect(rejected(decision)?.status == 403)
    }
}
