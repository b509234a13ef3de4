import Foundation
import Testing

extension Integration {
    /// Token authentication at the upgrade, through real sockets: what the client is answered, and what
    /// the upstream sees (the identity, never the token).
    @Suite struct EdgeAuth {
        /// Seconds since the epoch now: the gateway checks `exp` and `nbf` against the real clock.
        static var now: Double { Date().timeIntervalSince1970 }

        static let issuer = "https://issuer.test"
        static let audience = "wsgate"

        /// Claims valid now for `sub`, from the configured issuer to the configured audience.
        static func goodClaims(sub: String = "alice", iss: String = issuer, aud: String = audience,
                               exp: Double = now + 600, extra: String = "") -> String {
            claims(sub: sub, exp: exp, extra: #","iss":"\#(iss)","aud":"\#(aud)","role":"admin"\#(extra)"#)
        }

        /// Routes `/jwt` (JWT: HS256 secret, RSA and EC keys), `/restricted` (the same, alice only),
        /// `/static` (the static token file) and `/jwks` (keys by `kid`), all to `upstream`.
        static func gateway(files: AuthFiles, upstream: RecordingUpstream) throws -> PolicyGateway {
            let jwt = """
                "jwt": {"hs_secret_file": "\(files.secret)", "public_key_files": ["\(files.rsaPEM)", "\(files.ecPEM)"],
                        "issuer": "\(issuer)", "audience": "\(audience)"},
                "claim_headers": {"role": "X-Auth-Role"}
                """
            return try PolicyGateway { _ in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [
                   {"name": "jwt", "path_prefix": "/jwt", "upstream": "ws://127.0.0.1:\(upstream.port)/", "auth": {\(jwt)}},
                   {"name": "restricted", "path_prefix": "/restricted", "upstream": "ws://127.0.0.1:\(upstream.port)/",
                    "auth": {\(jwt), "allowed_identities": ["alice"]}},
                   {"name": "static", "path_prefix": "/static", "upstream": "ws://127.0.0.1:\(upstream.port)/",
                    "auth": {"static_tokens_file": "\(files.tokens)"}},
                   {"name": "jwks", "path_prefix": "/jwks", "upstream": "ws://127.0.0.1:\(upstream.port)/",
                    "auth": {"jwt": {"jwks_file": "\(files.jwks)", "issuer": "\(issuer)", "audience": "\(audience)"}}}]}
                """
            }
        }

        @Test("JWT: missing, malformed, expired, early, forged, wrong iss/aud and alg none are 401; the upstream is never contacted")
        func jwtRejections() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }

            let missing = try WSTestConnection.attempt(port: gateway.port, path: "/jwt").1
            #expect(missing.status == 401, "\(missing)")
            #expect(missing.header("WWW-Authenticate") == "Bearer", "\(missing)")

            let invalid: [(String, String)] = [
                ("malformed", "eyJhbGciOiJIUzI1NiJ9.not-json"),
                ("expired", hs("256", Self.goodClaims(exp: Self.now - 3_600))),
                ("not yet valid", hs("256", Self.goodClaims(extra: #","nbf":\#(Int(Self.now + 3_600))"#))),
                ("wrong signature", rs256(Self.goodClaims(), pair: TestKeys.otherRSA)),
                ("wrong issuer", es256(Self.goodClaims(iss: "https://evil.test"))),
                ("wrong audience", hs("256", Self.goodClaims(aud: "someone-else"))),
                ("alg none", makeJWT(header: #"{"alg":"none"}"#, claims: Self.goodClaims(), signer: .unsigned)),
            ]
            for (name, token) in invalid {
                let response = try WSTestConnection.attempt(port: gateway.port, path: "/jwt",
                                                            headers: [("Authorization", "Bearer \(token)")]).1
                #expect(response.status == 401, "\(name): \(response)")
                #expect(response.header("WWW-Authenticate") == #"Bearer error="invalid_token""#, "\(name): \(response)")
                #expect(!response.bodyText.contains(token), "\(name): the body repeats the token")
            }
            #expect(upstream.requests.take(timeout: 0.2) == nil, "a refused request reached the upstream")
        }

        @Test("JWT HS256, RS256 and ES256 pass; the upstream gets the identity and role headers, never the token")
        func jwtAccepted() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let tokens = [("HS256", hs("256", Self.goodClaims())), ("RS256", rs256(Self.goodClaims())),
                          ("ES256", es256(Self.goodClaims(sub: "bob")))]
            for (name, token) in tokens {
                let client = try WSTestConnection.open(port: gateway.port, path: "/jwt", headers: [
                    ("Authorization", "Bearer \(token)"),
                    ("X-Auth-Identity", "forged-admin"), ("X-Auth-Role", "forged-role"),
                ])
                let request = try #require(upstream.requests.take(timeout: 5), "\(name): the upstream got no request")
                #expect(request.values("X-Auth-Identity") == [name == "ES256" ? "bob" : "alice"], "\(name)")
                #expect(request.values("X-Auth-Role") == ["admin"], "\(name)")
                #expect(request.header("Authorization") == nil, "\(name)")
                let head = ([request.target] + request.headers.map { "\($0.name): \($0.value)" }).joined(separator: "\n")
                #expect(!head.contains(token) && !head.contains(token.split(separator: ".")[2]), "\(name): token upstream")
                try client.sendText("via \(name)")
                #expect(try client.readMessage().text == "via \(name)")
                #expect(try client.closeHandshake().closeCode == 1000)
            }
            #expect(upstream.failures.isEmpty)
        }

        @Test("allowed_identities: a valid token of another identity gets 403, an allowed one 101")
        func allowedIdentities() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let mallory = try WSTestConnection.attempt(port: gateway.port, path: "/restricted",
                                                       headers: [("Authorization", "Bearer \(rs256(Self.goodClaims(sub: "mallory")))")]).1
            #expect(mallory.status == 403, "\(mallory)")
            #expect(mallory.header("WWW-Authenticate") == nil)
            #expect(upstream.requests.take(timeout: 0.2) == nil, "a refused request reached the upstream")
            let alice = try WSTestConnection.open(port: gateway.port, path: "/restricted",
                                                  headers: [("Authorization", "Bearer \(rs256(Self.goodClaims()))")])
            #expect(upstream.requests.take(timeout: 5)?.header("X-Auth-Identity") == "alice")
            #expect(try alice.closeHandshake().closeCode == 1000)
        }

        @Test("Static token file: the plain and the sha256 entry pass as their identities; an unknown token is 401")
        func staticTokens() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            for (token, identity) in [("alice-static-token", "alice"), ("bob-static-token", "bob")] {
                let client = try WSTestConnection.open(port: gateway.port, path: "/static",
                                                       headers: [("Authorization", "Bearer \(token)")])
                let request = try #require(upstream.requests.take(timeout: 5))
                #expect(request.header("X-Auth-Identity") == identity)
                #expect(request.header("Authorization") == nil)
                #expect(try client.closeHandshake().closeCode == 1000)
            }
            let unknown = try WSTestConnection.attempt(port: gateway.port, path: "/static",
                                                       headers: [("Authorization", "Bearer carol-static-token")]).1
            #expect(unknown.status == 401, "\(unknown)")
            #expect(unknown.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)
            #expect(upstream.requests.take(timeout: 0.2) == nil)
        }

        @Test("JWKS: a token whose kid names its key passes (here from a cookie, which is not forwarded); a wrong key or unknown kid is 401")
        func jwksAndCookie() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let token = rs256(Self.goodClaims(), kid: "r1")
            let client = try WSTestConnection.open(port: gateway.port, path: "/jwks",
                                                   headers: [("Cookie", "theme=dark; token=\(token); lang=en")])
            let request = try #require(upstream.requests.take(timeout: 5))
            #expect(request.header("X-Auth-Identity") == "alice")
            #expect(request.values("Cookie") == ["theme=dark; lang=en"])
            #expect(try client.closeHandshake().closeCode == 1000)
            for (name, token) in [("key of another kid", rs256(Self.goodClaims(), kid: "r2")),
                                  ("unknown kid", es256(Self.goodClaims(), kid: "nope"))] {
                let response = try WSTestConnection.attempt(port: gateway.port, path: "/jwks",
                                                            headers: [("Authorization", "Bearer \(token)")]).1
                #expect(response.status == 401, "\(name): \(response)")
                #expect(response.header("WWW-Authenticate") == #"Bearer error="invalid_token""#, "\(name)")
            }
            #expect(upstream.requests.take(timeout: 0.2) == nil)
        }

        @Test("Subprotocol token from a browser: the upstream is offered only chat, and the client gets chat")
        func subprotocolToken() throws {
            let files = try AuthFiles()
            let upstream = try RecordingUpstream(subprotocol: "chat")
            let gateway = try Self.gateway(files: files, upstream: upstream)
            defer { gateway.stop() }
            let token = es256(Self.goodClaims())
            let client = try WSTestConnection.open(port: gateway.port, path: "/jwt", subprotocols: ["bearer.\(token)", "chat"],
                                                   headers: [("Origin", "https://app.example.com")])
            #expect(client.response?.header("Sec-WebSocket-Protocol") == "chat")
            let request = try #require(upstream.requests.take(timeout: 5))
            #expect(request.values("Sec-WebSocket-Protocol") == ["chat"])
            #expect(request.header("X-Auth-Identity") == "alice")
            try client.sendText("browser")
            #expect(try client.readMessage().text == "browser")
            #expect(try client.closeHandshake().closeCode == 1000)
        }
    }
}
