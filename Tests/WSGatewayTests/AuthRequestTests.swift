import Testing
import WSHTTP
import WSProtocol
@testable import WSGateway

/// Where credentials are found, how the request sent upstream changes, and the HTTP rejections.
@Suite struct AuthRequestTests {
    let files: AuthFiles
    let authenticator: Authenticator

    init() throws {
        files = try AuthFiles()
        authenticator = try files.authenticator(AuthConfig(
            staticTokensFile: files.tokens, jwt: files.jwtConfig(),
            claimHeaders: [ClaimHeader(claim: "role", header: "X-Auth-Role"), ClaimHeader(claim: "level", header: "X-Level")]))
    }

    func decide(_ target: String = "/chat", headers: [(String, String)] = [], subprotocols: [String] = []) -> AuthDecision {
        authenticator.authenticate(request: upgradeRequest(target, headers: headers), subprotocols: subprotocols)
    }

    @Test func findsTheTokenInEachSource() {
        #expect(accepted(decide(headers: [("authorization", "bEaReR alice-static-token")]))?.identity == "alice")
        #expect(accepted(decide("/chat?token=alice%2Dstatic%2dtoken"))?.identity == "alice")
        #expect(accepted(decide(headers: [("Cookie", "a=1; token=bob-static-token; b=2")]))?.identity == "bob")
        #expect(accepted(decide(headers: [("Cookie", #"token="bob-static-token""#)]))?.identity == "bob")
        #expect(accepted(decide(subprotocols: ["chat", "bearer.alice-static-token"]))?.identity == "alice")
    }

    @Test func firstConfiguredSourceWins() throws {
        let both = [("Authorization", "Bearer alice-static-token")]
        #expect(accepted(decide("/?token=bob-static-token", headers: both))?.identity == "alice")
        let queryFirst = try files.authenticator(AuthConfig(sources: [.query, .header], staticTokensFile: files.tokens))
        let request = upgradeRequest("/?token=bob-static-token", headers: both)
        let success = accepted(queryFirst.authenticate(request: request, subprotocols: []))
        #expect(success?.identity == "bob")
        // The unused credential is stripped too.
        #expect(success?.removeHeaders.contains("authorization") == true)
        #expect(success?.upstreamTarget(request.target) == "/")
    }

    @Test func ignoresSourcesThatAreNotConfigured() throws {
        let headerOnly = try files.authenticator(AuthConfig(sources: [.header], staticTokensFile: files.tokens))
        let request = upgradeRequest("/?token=alice-static-token", headers: [("Cookie", "token=alice-static-token")])
        let rejection = rejected(headerOnly.authenticate(request: request, subprotocols: ["bearer.alice-static-token"]))
        #expect(rejection?.reason == "missing token")
    }

    @Test func customNamesAndPrefix() throws {
        let custom = try files.authenticator(AuthConfig(
            queryParameter: "access_token", cookieName: "sid", subprotocolPrefix: "auth-", staticTokensFile: files.tokens))
        func identity(_ target: String, _ headers: [(String, String)] = [], _ subprotocols: [String] = []) -> String? {
            accepted(custom.authenticate(request: upgradeRequest(target, headers: headers), subprotocols: subprotocols))?.identity
        }
        #expect(identity("/?access_token=alice-static-token") == "alice")
        #expect(identity("/", [("Cookie", "sid=bob-static-token")]) == "bob")
        #expect(identity("/", [], ["auth-bob-static-token"]) == "bob")
    }

    @Test func queryTokenIsRemovedFromTheUpstreamTarget() throws {
        let target = "/chat?room=1&token=alice-static-token&b=x%20y&c"
        let success = try #require(accepted(decide(target)))
        #expect(success.strippedQueryParameter == "token")
        #expect(success.upstreamTarget(target) == "/chat?room=1&b=x%20y&c")
        // The routed upstream target (prefix stripped, base added) keeps the same query.
        #expect(success.upstreamTarget("/base/chat?room=1&token=alice-static-token&b=x%20y&c") == "/base/chat?room=1&b=x%20y&c")
        #expect(success.upstreamTarget("/chat?token=alice-static-token") == "/chat")
        #expect(success.upstreamTarget("/chat?t%6Fken=alice-static-token&z=1") == "/chat?z=1")
    }

    @Test func bearerSubprotocolIsWithheld() throws {
        let offered = ["bearer.alice-static-token", "chat", "v2.chat"]
        let success = try #require(accepted(decide(subprotocols: offered)))
        #expect(success.forwardedSubprotocols(offered) == ["chat", "v2.chat"])
        #expect(success.removeHeaders.contains("sec-websocket-protocol"))
        #expect(success.addHeaders.contains { $0.0 == "Sec-WebSocket-Protocol" && $0.1 == "chat, v2.chat" })
        let alone = try #require(accepted(decide(subprotocols: ["bearer.alice-static-token"])))
        #expect(alone.forwardedSubprotocols(["bearer.alice-static-token"]) == [])
        #expect(!alone.addHeaders.contains { $0.0 == "Sec-WebSocket-Protocol" })
    }

    @Test func tokenCookieIsRemovedOthersKept() throws {
        let success = try #require(accepted(decide(headers: [("Cookie", "a=1; token=bob-static-token"), ("Cookie", "b=2")])))
        #expect(success.removeHeaders.contains("cookie"))
        #expect(success.addHeaders.contains { $0.0 == "Cookie" && $0.1 == "a=1; b=2" })
        let only = try #require(accepted(decide(headers: [("Cookie", "token=bob-static-token")])))
        #expect(only.removeHeaders.contains("cookie"))
        #expect(!only.addHeaders.contains { $0.0 == "Cookie" })
    }

    @Test func credentialsStayWhenStrippingIsOff() throws {
        let keeping = try files.authenticator(AuthConfig(staticTokensFile: files.tokens, stripCredentials: false))
        let request = upgradeRequest("/?token=alice-static-token", headers: [
            ("Authorization", "Bearer alice-static-token"), ("Cookie", "token=alice-static-token"),
        ])
        let success = try #require(accepted(keeping.authenticate(request: request, subprotocols: ["bearer.alice-static-token"])))
        #expect(success.removeHeaders == ["x-auth-identity"])
        #expect(success.upstreamTarget(request.target) == request.target)
        #expect(success.forwardedSubprotocols(["bearer.alice-static-token"]) == ["bearer.alice-static-token"])
    }

    @Test func identityAndClaimHeadersReplaceClientCopies() throws {
        let token = rs256(claims(sub: "carol", extra: #","role":"admin","level":3,"other":"x""#))
        let clientHeaders = [
            ("Authorization", "Bearer \(token)"), ("X-Auth-Identity", "root"), ("x-auth-role", "superuser"),
            ("X-Level", "99"), ("X-Other", "kept"),
        ]
        let success = try #require(accepted(decide(headers: clientHeaders)))
        #expect(success.identity == "carol")
        #expect(success.removeHeaders == ["x-auth-identity", "x-auth-role", "x-level", "authorization"])
        #expect(success.addHeaders.map { "\($0.0): \($0.1)" } == ["X-Auth-Identity: carol", "X-Auth-Role: admin", "X-Level: 3"])

        // What the relay would send upstream with these edits.
        let head = upgradeRequest("/chat", headers: clientHeaders)
        let upgrade = UpgradeRequest(head: head, host: "gw.example", key: "dGhlIHNhbXBsZSBub25jZQ==", subprotocols: [],
                                     extensionOffers: [], origin: nil)
        let bytes = UpstreamRequestBuilder.build(
            client: upgrade, upstreamAuthority: "up", target: success.upstreamTarget("/chat"), key: "k",
            forwarding: ForwardingInfo(clientAddress: "10.0.0.1", scheme: "http"),
            removeHeaders: success.removeHeaders, addHeaders: success.addHeaders)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("X-Auth-Identity: carol\r\n"))
        #expect(text.contains("X-Auth-Role: admin\r\n"))
        #expect(text.contains("X-Other: kept\r\n"))
        for gone in ["root", "superuser", "99", "Authorization", token] {
            #expect(!text.contains(gone), "\(gone)")
        }
        // Static tokens have no claims: client copies of claim headers are still removed.
        let staticSuccess = try #require(accepted(decide(headers: [("Authorization", "Bearer alice-static-token"), ("X-Auth-Role", "x")])))
        #expect(staticSuccess.removeHeaders.contains("x-auth-role"))
        #expect(staticSuccess.addHeaders.map(\.0) == ["X-Auth-Identity"])
    }

    @Test func claimsThatCannotBeHeadersInvalidateTheToken() {
        for extra in [#","role":"a\nb""#, #","role":["admin"]"#, #","role":true"#, #","level":"\u0000""#] {
            let reason = rejected(decide(headers: [("Authorization", "Bearer \(rs256(claims(extra: extra)))")]))?.reason
            #expect(reason?.hasPrefix("malformed claim ") == true, "\(extra)")
        }
        let fractional = accepted(decide(headers: [("Authorization", "Bearer \(rs256(claims(extra: #","level":2.5"#)))")]))
        #expect(fractional?.addHeaders.last.map { "\($0.0): \($0.1)" } == "X-Level: 2.5")
    }

    @Test func missingAndMalformedCredentialsGet401() throws {
        let missing = try #require(rejected(decide()))
        #expect(missing.status == 401)
        #expect(missing.reason == "missing token")
        #expect(missing.headers == [HeaderField(name: "WWW-Authenticate", value: "Bearer")])
        let basic = try #require(rejected(decide(headers: [("Authorization", "Basic YTpi")])))
        #expect(basic.reason == "missing token")

        let invalid = #"Bearer error="invalid_token""#
        let malformed: [AuthDecision] = [
            decide("/?token=alice-static-token&token=bob-static-token"),
            decide("/?token="),
            decide("/?token=%zz"),
            decide(headers: [("Authorization", "Bearer")]),
            decide(headers: [("Authorization", "Bearer a b")]),
            decide(headers: [("Authorization", "Bearer x"), ("Authorization", "Bearer y")]),
            decide(headers: [("Cookie", "token=")]),
            decide(subprotocols: ["bearer.a", "bearer.b"]),
            decide(subprotocols: ["bearer."]),
        ]
        for decision in malformed {
            let rejection = try #require(rejected(decision))
            #expect(rejection.status == 401)
            #expect(rejection.reason == "malformed token")
            #expect(rejection.headerPairs.map { "\($0.0): \($0.1)" } == ["WWW-Authenticate: \(invalid)"])
        }
        let unknown = try #require(rejected(decide(headers: [("Authorization", "Bearer nope")])))
        #expect(unknown.headers == [HeaderField(name: "WWW-Authenticate", value: invalid)])
    }

    @Test func identitiesOutsideTheAllowListGet403() throws {
        let restricted = try files.authenticator(AuthConfig(
            staticTokensFile: files.tokens, jwt: files.jwtConfig(), allowedIdentities: ["alice"]))
        #expect(bearerIdentity(restricted, "alice-static-token") == "alice")
        #expect(bearerIdentity(restricted, hs("256", claims(sub: "alice"))) == "alice")
        for token in ["bob-static-token", hs("256", claims(sub: "mallory"))] {
            let rejection = try #require(rejected(restricted.authenticate(
                request: upgradeRequest(headers: [("Authorization", "Bearer \(token)")]), subprotocols: [])))
            #expect(rejection.status == 403)
            #expect(rejection.reason == "identity not allowed")
            #expect(rejection.headers.isEmpty)
        }
    }

    @Test func firstMessageModeDefersOnlyWithoutACredential() throws {
        let deferring = try files.authenticator(AuthConfig(staticTokensFile: files.tokens, firstMessageTimeout: 5_000))
        #expect(deferring.firstMessageTimeoutMilliseconds == 5_000)
        #expect(authenticator.firstMessageTimeoutMilliseconds == nil)
        guard case .deferredToFirstMessage = deferring.authenticate(request: upgradeRequest(), subprotocols: ["chat"]) else {
            Issue.record("expected a deferral")
            return
        }
        let present = deferring.authenticate(request: upgradeRequest("/?token=alice-static-token"), subprotocols: [])
        #expect(accepted(present)?.identity == "alice")
        let wrong = deferring.authenticate(request: upgradeRequest("/?token=wrong"), subprotocols: [])
        #expect(rejected(wrong)?.reason == "unknown token")
    }
}
