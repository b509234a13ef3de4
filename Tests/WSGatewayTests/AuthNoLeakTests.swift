import Testing
@testable import WSGateway

/// Rejections are logged and sent to clients: none may repeat any part of the token it refused.
@Suite struct AuthNoLeakTests {
    @Test func noRejectionContainsTheToken() throws {
        let files = try AuthFiles()
        let authenticator = try files.authenticator(AuthConfig(
            staticTokensFile: files.tokens,
            jwt: files.jwtConfig {
                $0.jwksFile = files.jwks
                $0.issuer = "iss"
                $0.audience = "aud"
                $0.requiredClaims = ["exp", "jti"]
            },
            claimHeaders: [ClaimHeader(claim: "role", header: "X-Role")], allowedIdentities: ["alice"]))
        let good = #","iss":"iss","aud":"aud","jti":"1""#
        let marker = "SECRETMARKER"
        let tokens = [
            "\(marker)-static",
            "\(marker).x",
            "\(marker).\(marker).\(marker)",
            hs("256", claims(sub: marker, exp: testNow - 3600, extra: good)),
            hs("256", claims(sub: marker, extra: good + #","nbf":\#(Int(testNow) + 3600)"#)),
            hs("256", claims(sub: marker, extra: good), secret: Array(repeating: 1, count: 64)),
            hs("256", claims(sub: marker, extra: #","iss":"\#(marker)","aud":"aud","jti":"1""#)),
            hs("256", claims(sub: marker, extra: #","iss":"iss","aud":"\#(marker)","jti":"1""#)),
            hs("256", claims(sub: marker, extra: #","iss":"iss","aud":"aud""#)),
            hs("256", claims(sub: "\(marker)\\n", extra: good)),
            hs("256", claims(sub: marker, extra: good + #","role":"\#(marker)\r""#)),
            hs("256", claims(sub: marker, extra: good)),
            rs256(claims(sub: marker, extra: good), kid: marker),
            makeJWT(header: #"{"alg":"\#(marker)"}"#, claims: claims(sub: marker), signer: .unsigned),
            makeJWT(header: #"{"alg":"none"}"#, claims: claims(sub: marker), signer: .unsigned),
        ]
        var reasons: Set<String> = []
        for token in tokens {
            let requests = [
                upgradeRequest(headers: [("Authorization", "Bearer \(token)")]),
                upgradeRequest("/?token=\(token)"),
                upgradeRequest("/?token=\(token)&token=\(token)"),
                upgradeRequest(headers: [("Cookie", "token=\(token)")]),
            ]
            var decisions = requests.map { authenticator.authenticate(request: $0, subprotocols: []) }
            decisions.append(authenticator.authenticate(request: upgradeRequest(), subprotocols: ["bearer.\(token)"]))
            decisions.append(Array(#"{"token":"\#(token)"}"#.utf8).withUnsafeBytes { authenticator.authenticateFirstMessage($0) })
            for decision in decisions {
                let rejection = try #require(rejected(decision))
                reasons.insert(rejection.reason)
                let rendered = "\(decision) \(rejection.reason) \(rejection.headers)"
                #expect(!rendered.contains(marker), "\(rendered)")
                for part in token.split(separator: ".") where part.count > 3 {
                    #expect(!rendered.contains(part), "\(rendered)")
                }
            }
        }
        // Every categorical reason was reached.
        #expect(reasons == [
            "unknown token", "malformed token", "expired", "not yet valid", "bad signature", "wrong issuer",
            "wrong audience", "missing claim jti", "malformed claim sub", "malformed claim role", "identity not allowed",
            "unknown key id", "algorithm not allowed",
        ])
    }
}
