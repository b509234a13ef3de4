import Testing
@testable import WSGateway

@Suite struct AuthJWTTests {
    let files: AuthFiles
    let authenticator: Authenticator

    init() throws {
        files = try AuthFiles()
        authenticator = try files.authenticator(AuthConfig(jwt: files.jwtConfig()))
    }

    @Test func acceptsEveryHMACHash() {
        #expect(bearerIdentity(authenticator, hs("256")) == "alice")
        #expect(bearerIdentity(authenticator, hs("384")) == "alice")
        #expect(bearerIdentity(authenticator, hs("512")) == "alice")
    }

    @Test func acceptsRS256AndES256() {
        #expect(bearerIdentity(authenticator, rs256(claims(sub: "rsa-user"))) == "rsa-user")
        #expect(bearerIdentity(authenticator, es256(claims(sub: "ec-user"))) == "ec-user")
    }

    @Test func jwksKeyIDSelectsTheKey() throws {
        let jwks = try files.authenticator(AuthConfig(jwt: JWTConfig(jwksFile: files.jwks)))
        #expect(bearerIdentity(jwks, rs256(pair: TestKeys.otherRSA, kid: "r2")) == "alice")
        #expect(bearerIdentity(jwks, es256(kid: "e1")) == "alice")
        // Without a kid every key of the algorithm's type is tried.
        #expect(bearerIdentity(jwks, rs256(pair: TestKeys.otherRSA)) == "alice")
        #expect(bearerRejection(jwks, rs256(pair: TestKeys.otherRSA, kid: "r1")) == "bad signature")
        #expect(bearerRejection(jwks, rs256(kid: "nope")) == "unknown key id")
        // A kid naming a key of another type cannot switch the algorithm.
        #expect(bearerRejection(jwks, es256(kid: "r1")) == "algorithm not allowed")
    }

    @Test func timeClaimsHonourTheLeeway() throws {
        #expect(bearerRejection(authenticator, hs("256", claims(exp: testNow - 31))) == "expired")
        #expect(bearerIdentity(authenticator, hs("256", claims(exp: testNow - 29))) == "alice")
        #expect(bearerRejection(authenticator, hs("256", claims(extra: #","nbf":\#(Int(testNow) + 31)"#))) == "not yet valid")
        #expect(bearerIdentity(authenticator, hs("256", claims(extra: #","nbf":\#(Int(testNow) + 29)"#))) == "alice")
        let strict = try files.authenticator(AuthConfig(jwt: files.jwtConfig { $0.leeway = 0 }))
        #expect(bearerRejection(strict, hs("256", claims(exp: testNow))) == "expired")
        #expect(bearerIdentity(strict, hs("256", claims(exp: testNow + 1))) == "alice")
        #expect(bearerRejection(strict, hs("256", claims(extra: #","nbf":\#(Int(testNow) + 1)"#))) == "not yet valid")
        #expect(bearerRejection(strict, hs("256", claims(extra: #","nbf":"soon""#))) == "malformed claim nbf")
    }

    @Test func rejectsBadSignatures() {
        #expect(bearerRejection(authenticator, hs("256", secret: Array(repeating: 7, count: 64))) == "bad signature")
        #expect(bearerRejection(authenticator, rs256(pair: TestKeys.otherRSA)) == "bad signature")
        #expect(bearerRejection(authenticator, es256(pair: TestKeys.otherEC)) == "bad signature")
        // A valid signature over other claims.
        let parts = rs256().split(separator: ".")
        let forged = "\(parts[0]).\(b64url(Array(claims(sub: "root").utf8))).\(parts[2])"
        #expect(bearerRejection(authenticator, forged) == "bad signature")
        // ES256 signatures must be the 64-byte raw form.
        let esParts = es256().split(separator: ".")
        #expect(bearerRejection(authenticator, "\(esParts[0]).\(esParts[1]).\(b64url([UInt8](repeating: 1, count: 63)))")
            == "bad signature")
    }

    @Test func checksIssuerAndAudience() throws {
        let checked = try files.authenticator(AuthConfig(jwt: files.jwtConfig {
            $0.issuer = "https://issuer"
            $0.audience = "wsgate"
        }))
        let good = #","iss":"https://issuer""#
        #expect(bearerIdentity(checked, hs("256", claims(extra: good + #","aud":"wsgate""#))) == "alice")
        #expect(bearerIdentity(checked, hs("256", claims(extra: good + #","aud":["other","wsgate"]"#))) == "alice")
        #expect(bearerRejection(checked, hs("256", claims(extra: good + #","aud":"other""#))) == "wrong audience")
        #expect(bearerRejection(checked, hs("256", claims(extra: good + #","aud":["other","x"]"#))) == "wrong audience")
        #expect(bearerRejection(checked, hs("256", claims(extra: good))) == "wrong audience")
        #expect(bearerRejection(checked, hs("256", claims(extra: #","iss":"https://evil","aud":"wsgate""#)))
            == "wrong issuer")
        #expect(bearerRejection(checked, hs("256", claims(extra: #","aud":"wsgate""#))) == "wrong issuer")
    }

    @Test func requiresConfiguredClaimsAndSubject() throws {
        let requiring = try files.authenticator(AuthConfig(jwt: files.jwtConfig { $0.requiredClaims = ["exp", "jti"] }))
        #expect(bearerRejection(requiring, hs("256")) == "missing claim jti")
        #expect(bearerIdentity(requiring, hs("256", claims(extra: #","jti":"1""#))) == "alice")
        #expect(bearerRejection(authenticator, hs("256", #"{"sub":"alice"}"#)) == "missing claim exp")
        #expect(bearerRejection(authenticator, hs("256", #"{"exp":\#(Int(testNow) + 60)}"#)) == "missing claim sub")
        #expect(bearerRejection(authenticator, hs("256", #"{"sub":7,"exp":\#(Int(testNow) + 60)}"#)) == "malformed claim sub")
        #expect(bearerRejection(authenticator, hs("256", claims(sub: #"a\r\nX-Evil: 1"#))) == "malformed claim sub")
    }

    @Test func neverAcceptsAlgNone() {
        let unsigned = makeJWT(header: #"{"alg":"none"}"#, claims: claims(), signer: .unsigned)
        #expect(bearerRejection(authenticator, unsigned) == "algorithm not allowed")
        let noneWithSignature = makeJWT(header: #"{"alg":"none"}"#, claims: claims(), signer: .key(TestKeys.rsa))
        #expect(bearerRejection(authenticator, noneWithSignature) == "algorithm not allowed")
    }

    @Test func algorithmsOutsideTheListAreRefused() throws {
        let rsaOnly = try files.authenticator(AuthConfig(jwt: JWTConfig(publicKeyFiles: [files.rsaPEM])))
        #expect(bearerIdentity(rsaOnly, rs256()) == "alice")
        #expect(bearerRejection(rsaOnly, hs("256")) == "algorithm not allowed")
        #expect(bearerRejection(rsaOnly, es256()) == "algorithm not allowed")
        let hs256Only = try files.authenticator(AuthConfig(jwt: files.jwtConfig { $0.algorithms = [.hs256] }))
        #expect(bearerRejection(hs256Only, hs("512")) == "algorithm not allowed")
        #expect(bearerRejection(hs256Only, rs256()) == "algorithm not allowed")
    }

    @Test func publicKeyIsNeverAnHMACSecret() throws {
        let pemBytes = Array(TestKeys.rsa.publicPEM.utf8)
        let confused = makeJWT(header: #"{"alg":"HS256"}"#, claims: claims(), signer: .hmac(hash: "256", secret: pemBytes))
        let rsaOnly = try files.authenticator(AuthConfig(jwt: JWTConfig(publicKeyFiles: [files.rsaPEM])))
        #expect(bearerRejection(rsaOnly, confused) == "algorithm not allowed")
        // Even with HS256 allowed, only the configured secret signs HMAC tokens.
        #expect(bearerRejection(authenticator, confused) == "bad signature")
    }

    @Test func rejectsMalformedTokens() {
        let valid = hs("256")
        let parts = valid.split(separator: ".").map(String.init)
        let cases = [
            "\(parts[0]).\(parts[1])",
            "\(valid).extra",
            "\(parts[0])=.\(parts[1]).\(parts[2])",
            "\(b64url(Array("not json".utf8))).\(parts[1]).\(parts[2])",
            "\(b64url(Array(#"["HS256"]"#.utf8))).\(parts[1]).\(parts[2])",
            "\(parts[0]).\(parts[1]).\(parts[2])*",
            makeJWT(header: #"{"alg":"HS256","crit":["b64"]}"#, claims: claims(), signer: .hmac(hash: "256", secret: TestKeys.secret)),
            makeJWT(header: #"{"alg":"HS256","typ":"JWE"}"#, claims: claims(), signer: .hmac(hash: "256", secret: TestKeys.secret)),
            makeJWT(header: #"{"alg":"HS256"}"#, claims: "[1]", signer: .hmac(hash: "256", secret: TestKeys.secret)),
            makeJWT(header: #"{"typ":"JWT"}"#, claims: claims(), signer: .hmac(hash: "256", secret: TestKeys.secret)),
        ]
        for token in cases {
            #expect(bearerRejection(authenticator, token) == "malformed token", "\(token)")
        }
        // The base64url "Zg" is canonical for "f"; "Zh" sets spare bits and is refused.
        #expect(Base64URL.decode("Zg".utf8) == Array("f".utf8))
        #expect(Base64URL.decode("Zh".utf8) == nil)
        #expect(Base64URL.decode("Zg==".utf8) == nil)
        #expect(Base64URL.decode("Z".utf8) == nil)
    }

    @Test func acceptsAccessTokenType() {
        let token = makeJWT(header: #"{"alg":"HS256","typ":"at+jwt"}"#, claims: claims(), signer: .hmac(hash: "256", secret: TestKeys.secret))
        #expect(bearerIdentity(authenticator, token) == "alice")
    }
}
