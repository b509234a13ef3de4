import Testing
@testable import WSGateway

/// The `auth` key of routes and `defaults`, decoded and validated with key paths.
@Suite struct AuthConfigTests {
    let files: AuthFiles

    init() throws {
        files = try AuthFiles()
    }

    /// A document with `auth` on the single route (relative paths resolve against the files' directory).
    func parse(route auth: String, defaults: String? = nil) throws(ConfigError) -> GatewayConfig {
        let extra = defaults.map { #""defaults": {"auth": \#($0)}"# } ?? ""
        return try parseConfig(configDocument(route: #""auth": \#(auth)"#, extra: extra), baseDirectory: files.directory.path)
    }

    func rejection(route auth: String) -> ConfigError? {
        configRejection(configDocument(route: #""auth": \#(auth)"#), baseDirectory: files.directory.path)
    }

    @Test func decodesEveryKey() throws {
        let config = try parse(route: """
            {"sources": ["subprotocol", "header"], "query_param": "access_token", "cookie": "sid",
             "subprotocol_prefix": "auth.", "static_tokens_file": "tokens.txt",
             "jwt": {"hs_secret_file": "secret.bin", "public_key_files": ["rs.pem", "ec.pem"], "jwks_file": "jwks.json",
                     "algorithms": ["HS256", "HS512", "RS256", "ES256"], "issuer": "https://issuer", "audience": "wsgate",
                     "leeway": 2.5, "required_claims": ["sub", "exp"]},
             "identity_header": "X-User", "claim_headers": {"role": "X-Auth-Role", "tenant": "X-Tenant"},
             "allowed_identities": ["alice", "bob"], "first_message": {"timeout": 3}, "strip_credentials": false}
            """)
        let directory = files.directory.path
        #expect(config.routes[0].policy.auth == AuthConfig(
            sources: [.subprotocol, .header], queryParameter: "access_token", cookieName: "sid", subprotocolPrefix: "auth.",
            staticTokensFile: "\(directory)/tokens.txt",
            jwt: JWTConfig(
                hmacSecretFile: "\(directory)/secret.bin", publicKeyFiles: ["\(directory)/rs.pem", "\(directory)/ec.pem"],
                jwksFile: "\(directory)/jwks.json", algorithms: [.hs256, .hs512, .rs256, .es256], issuer: "https://issuer",
                audience: "wsgate", leeway: 2_500, requiredClaims: ["sub", "exp"]),
            identityHeader: "X-User",
            claimHeaders: [ClaimHeader(claim: "role", header: "X-Auth-Role"), ClaimHeader(claim: "tenant", header: "X-Tenant")],
            allowedIdentities: ["alice", "bob"], firstMessageTimeout: 3_000, stripCredentials: false))
    }

    @Test func minimalAuthTakesDefaults() throws {
        let auth = try #require(try parse(route: #"{"jwt": {"public_key_files": ["rs.pem"]}, "first_message": {}}"#).routes[0].policy.auth)
        #expect(auth.sources == [.header, .query, .cookie, .subprotocol])
        #expect(auth.queryParameter == "token" && auth.cookieName == "token" && auth.subprotocolPrefix == "bearer.")
        #expect(auth.identityHeader == "X-Auth-Identity")
        #expect(auth.stripCredentials)
        #expect(auth.firstMessageTimeout == 5_000)
        #expect(auth.jwt?.algorithms == nil)
        #expect(auth.jwt?.leeway == 30_000)
        #expect(auth.jwt?.requiredClaims == ["exp"])
        #expect(try parse(route: "null").routes[0].policy.auth == nil)
    }

    @Test func routesInheritDefaultsAuthUnlessTheyOverrideIt() throws {
        let text = configDocument(
            routes: """
                [{"name": "inherits", "upstream": "ws://127.0.0.1:9000"},
                 {"name": "own", "upstream": "ws://127.0.0.1:9000", "auth": {"jwt": {"hs_secret_file": "secret.bin"}}},
                 {"name": "open", "upstream": "ws://127.0.0.1:9000", "auth": null}]
                """,
            extra: #""defaults": {"auth": {"static_tokens_file": "tokens.txt"}}"#)
        let routes = try parseConfig(text, baseDirectory: files.directory.path).routes
        #expect(routes[0].policy.auth?.staticTokensFile == "\(files.directory.path)/tokens.txt")
        #expect(routes[1].policy.auth?.staticTokensFile == nil)
        #expect(routes[1].policy.auth?.jwt?.hmacSecretFile == "\(files.directory.path)/secret.bin")
        #expect(routes[2].policy.auth == nil)
        #expect(try parseConfig(configDocument(), baseDirectory: ".").routes[0].policy.auth == nil)
    }

    @Test func structuralErrorsNameTheirKey() {
        let prefix = "routes[0].auth"
        let cases: [(String, String, String)] = [
            (#"{}"#, prefix, "needs static_tokens_file or jwt"),
            (#"{"tokens": "x"}"#, "\(prefix).tokens", "unknown key"),
            (#"{"static_tokens_file": "tokens.txt", "sources": []}"#, "\(prefix).sources", "must not be empty"),
            (#"{"static_tokens_file": "tokens.txt", "sources": ["header", "body"]}"#, "\(prefix).sources[1]", "unknown source"),
            (#"{"static_tokens_file": "tokens.txt", "sources": ["query", "query"]}"#, "\(prefix).sources[1]", "listed twice"),
            (#"{"static_tokens_file": "tokens.txt", "query_param": "a&b"}"#, "\(prefix).query_param", "must be letters"),
            (#"{"static_tokens_file": "tokens.txt", "cookie": "a b"}"#, "\(prefix).cookie", "cookie name"),
            (#"{"static_tokens_file": "tokens.txt", "subprotocol_prefix": ""}"#, "\(prefix).subprotocol_prefix", "token"),
            (#"{"static_tokens_file": "missing.txt"}"#, "\(prefix).static_tokens_file", "cannot use"),
            (#"{"static_tokens_file": "tokens.txt", "identity_header": "Authorization"}"#, "\(prefix).identity_header", "set by the gateway"),
            (#"{"static_tokens_file": "tokens.txt", "identity_header": "X User"}"#, "\(prefix).identity_header", "header name"),
            (#"{"static_tokens_file": "tokens.txt", "claim_headers": {"role": "x-auth-identity"}}"#, "\(prefix).claim_headers.role", "already used"),
            (#"{"static_tokens_file": "tokens.txt", "claim_headers": {"role": "Cookie"}}"#, "\(prefix).claim_headers.role", "set by the gateway"),
            (#"{"static_tokens_file": "tokens.txt", "claim_headers": ["role"]}"#, "\(prefix).claim_headers", "expected an object"),
            (#"{"static_tokens_file": "tokens.txt", "allowed_identities": []}"#, "\(prefix).allowed_identities", "must not be empty"),
            (#"{"static_tokens_file": "tokens.txt", "first_message": {"timeout": 0}}"#, "\(prefix).first_message.timeout", "at least 0.001"),
            (#"{"static_tokens_file": "tokens.txt", "first_message": {"wait": 1}}"#, "\(prefix).first_message.wait", "unknown key"),
            (#"{"static_tokens_file": "tokens.txt", "strip_credentials": "yes"}"#, "\(prefix).strip_credentials", "boolean"),
            (#"{"jwt": {}}"#, "\(prefix).jwt", "needs hs_secret_file, public_key_files or jwks_file"),
            (#"{"jwt": {"public_key_files": []}}"#, "\(prefix).jwt.public_key_files", "must not be empty"),
            (#"{"jwt": {"public_key_files": ["rs.pem", "nope.pem"]}}"#, "\(prefix).jwt.public_key_files[1]", "cannot use"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "algorithms": ["HS256", "none"]}}"#, "\(prefix).jwt.algorithms[1]", "never accepted"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "algorithms": ["PS256"]}}"#, "\(prefix).jwt.algorithms[0]", "unsupported algorithm"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "issuer": ""}}"#, "\(prefix).jwt.issuer", "must not be empty"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "leeway": -1}}"#, "\(prefix).jwt.leeway", "negative"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "required_claims": ["exp", "exp"]}}"#, "\(prefix).jwt.required_claims[1]", "listed twice"),
            (#"{"jwt": {"hs_secret_file": "secret.bin", "kid": "x"}}"#, "\(prefix).jwt.kid", "unknown key"),
        ]
        for (auth, keyPath, message) in cases {
            let error = rejection(route: auth)
            #expect(error?.keyPath == keyPath, "\(auth)")
            #expect(error?.message.contains(message) == true, "\(auth): \(error?.message ?? "")")
        }
    }

    @Test func keyMaterialIsLoadedAtLoadTime() throws {
        try files.directory.createFile("empty.bin", contents: "\n")
        try files.directory.createFile("short.bin", contents: String(repeating: "k", count: 40))
        try files.directory.createFile("junk.pem", contents: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        try files.directory.createFile("small.pem", contents: TestKeys.smallRSA.publicPEM)
        try files.directory.createFile("p384.pem", contents: TestKeys.p384.publicPEM)
        try files.directory.createFile("bad-tokens.txt", contents: "only-one-field\n")
        let jwk = TestKeys.rsa.jwk(kid: "a")
        let jwksCases: [(String, String)] = [
            ("{}", "non-empty \"keys\""),
            (#"{"keys": [\#(jwk), \#(jwk)]}"#, "keys[1]: kid \"a\" is used twice"),
            (#"{"keys": [{"kty": "oct", "k": "AAAA"}]}"#, "keys[0]: unsupported kty \"oct\""),
            (#"{"keys": [\#(TestKeys.ec.jwk(kid: "e", extra: #","use":"enc""#))]}"#, "keys[0]: \"use\" is \"enc\""),
            (#"{"keys": [\#(TestKeys.ec.jwk(kid: "e", extra: #","alg":"ES384""#))]}"#, "keys[0]: EC keys are used only for ES256"),
            (#"{"keys": [\#(TestKeys.ec.jwk(kid: "e", extra: #","d":"AAAA""#))]}"#, "keys[0]: holds a private key"),
            (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}]}"#, "keys[0]: x and y must be 32 bytes"),
            (#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "\#(b64url([UInt8](repeating: 1, count: 32)))", "y": "\#(b64url([UInt8](repeating: 2, count: 32)))"}]}"#,
             "keys[0]: not a valid public key"),
            (#"{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}"#, "keys[0]: RSA key of 17 bits"),
            (#"{"keys": [{"kty": "RSA", "n": "AQAB=", "e": "AQAB"}]}"#, "keys[0]: \"n\" is not unpadded base64url"),
        ]
        for (index, (contents, message)) in jwksCases.enumerated() {
            try files.directory.createFile("jwks\(index).json", contents: contents)
            let error = rejection(route: #"{"jwt": {"jwks_file": "jwks\#(index).json"}}"#)
            #expect(error?.keyPath == "routes[0].auth.jwt.jwks_file", "\(contents)")
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        }
        let cases: [(String, String, String)] = [
            (#"{"jwt": {"hs_secret_file": "empty.bin"}}"#, "jwt.hs_secret_file", "is empty"),
            (#"{"jwt": {"hs_secret_file": "short.bin", "algorithms": ["HS256", "HS384"]}}"#, "jwt.hs_secret_file", "HS384 needs a secret of at least 48 bytes"),
            (#"{"jwt": {"public_key_files": ["rs.pem", "junk.pem"]}}"#, "jwt.public_key_files[1]", "not a PEM public key"),
            (#"{"jwt": {"public_key_files": ["secret.bin"]}}"#, "jwt.public_key_files[0]", "not a PEM public key"),
            (#"{"jwt": {"public_key_files": ["small.pem"]}}"#, "jwt.public_key_files[0]", "RSA key of 1024 bits"),
            (#"{"jwt": {"public_key_files": ["p384.pem"]}}"#, "jwt.public_key_files[0]", "only P-256"),
            (#"{"jwt": {"public_key_files": ["rs.pem"], "algorithms": ["RS256", "ES256"]}}"#, "jwt.algorithms[1]", "ES256 needs an EC P-256 key"),
            (#"{"jwt": {"public_key_files": ["ec.pem"], "algorithms": ["HS256"]}}"#, "jwt.algorithms[0]", "HS256 needs hs_secret_file"),
            (#"{"static_tokens_file": "bad-tokens.txt"}"#, "static_tokens_file", "line 1: expected"),
        ]
        for (auth, keyPath, message) in cases {
            let error = rejection(route: auth)
            #expect(error?.keyPath == "routes[0].auth.\(keyPath)", "\(auth)")
            #expect(error?.message.contains(message) == true, "\(auth): \(error?.message ?? "")")
        }
        // A 40-byte secret is enough for HS256, the default HMAC algorithm.
        #expect(try parse(route: #"{"jwt": {"hs_secret_file": "short.bin"}}"#).routes[0].policy.auth != nil)
    }

    @Test func defaultsAuthErrorsArePlacedThere() {
        let text = configDocument(extra: #""defaults": {"auth": {"jwt": {"public_key_files": ["nope.pem"]}}}"#)
        let error = configRejection(text, baseDirectory: files.directory.path)
        #expect(error?.keyPath == "defaults.auth.jwt.public_key_files[0]")
    }
}
