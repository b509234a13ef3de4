import Foundation
import Testing
@testable import WSGateway

@Suite struct AuthStaticTokenTests {
    let files: AuthFiles
    let authenticator: Authenticator

    init() throws {
        files = try AuthFiles()
        authenticator = try files.authenticator(AuthConfig(staticTokensFile: files.tokens))
    }

    @Test func acceptsPlainAndHashedEntries() {
        #expect(bearerIdentity(authenticator, "alice-static-token") == "alice")
        #expect(bearerIdentity(authenticator, "bob-static-token") == "bob")
    }

    @Test func nearMissesAreUnknown() {
        for token in ["alice-static-toke", "alice-static-tokenX", "alice-static-tokeN", "Alice-static-token",
                      "bob-static-tokem"] {
            #expect(bearerRejection(authenticator, token) == "unknown token", "\(token)")
        }
        // A client sending a file's "sha256:" form is sending a different token.
        let hashForm = "sha256:" + TokenDigest(of: Array("bob-static-token".utf8)).bytes.map { String(format: "%02x", $0) }.joined()
        let decision = authenticator.authenticate(request: upgradeRequest("/?token=\(hashForm)"), subprotocols: [])
        #expect(rejected(decision)?.reason == "unknown token")
    }

    @Test func digestsCompareInConstantTime() {
        let digest = TokenDigest(of: Array("alice-static-token".utf8))
        var lastByteFlipped = digest.bytes
        lastByteFlipped[31] ^= 1
        #expect(digest == TokenDigest(of: Array("alice-static-token".utf8)))
        #expect(digest != TokenDigest(digest: lastByteFlipped)!)
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(TokenDigest(digest: [1, 2]) == nil)
        #expect(TokenDigest(hex: Substring(String(repeating: "aB", count: 32)))?.bytes == Array(repeating: 0xAB, count: 32))
        #expect(TokenDigest(hex: Substring(String(repeating: "g0", count: 32))) == nil)
    }

    @Test func staticTokensAndJWTsTogether() throws {
        let both = try files.authenticator(AuthConfig(staticTokensFile: files.tokens, jwt: files.jwtConfig()))
        #expect(bearerIdentity(both, "alice-static-token") == "alice")
        #expect(bearerIdentity(both, rs256(claims(sub: "carol"))) == "carol")
        #expect(bearerRejection(both, "no-such-token") == "unknown token")
        #expect(bearerRejection(both, rs256(pair: TestKeys.otherRSA)) == "bad signature")
        let jwtOnly = try files.authenticator(AuthConfig(jwt: files.jwtConfig()))
        #expect(bearerRejection(jwtOnly, "alice-static-token") == "malformed token")
    }

    @Test func fileErrorsGiveLineNumbersNotTokens() {
        let cases: [(String, String)] = [
            ("secret-one alice extra", "line 1: expected \"<token> <identity>\""),
            ("# c\nsecret-one", "line 2: expected \"<token> <identity>\""),
            ("sha256:abcd alice", "line 1: sha256: must be followed by 64 hexadecimal digits"),
            ("secret-one alice\nsecret-one bob", "line 2: the same token is already on line 1"),
            ("# only a comment\n\n", "holds no tokens"),
        ]
        for (contents, expected) in cases {
            do {
                _ = try StaticTokenTable(parsing: Array(contents.utf8), name: "t.txt")
                Issue.record("accepted \(contents)")
            } catch {
                #expect(error.message.hasSuffix(expected), "\(error.message)")
                #expect(!error.message.contains("secret-one"))
                #expect(error.source == .staticTokensFile)
            }
        }
    }

    @Test func parsesCommentsBlankLinesTabsAndCRLF() throws {
        let table = try StaticTokenTable(parsing: Array("# x\r\n\r\none\tu1\r\n  two   u2\n".utf8), name: "t")
        #expect(table.count == 2)
        #expect(table.identity(of: Array("one".utf8)) == "u1")
        #expect(table.identity(of: Array("two".utf8)) == "u2")
    }
}
