import WSHTTP
import WSJSON

extension ConfigDecoder {
    static let authKeys = [
        "sources", "query_param", "cookie", "subprotocol_prefix", "static_tokens_file", "jwt", "identity_header",
        "claim_headers", "allowed_identities", "first_message", "strip_credentials",
    ]
    static let jwtKeys = [
        "hs_secret_file", "public_key_files", "jwks_file", "algorithms", "issuer", "audience", "leeway",
        "required_claims",
    ]

    /// Headers the gateway or the handshake owns, which identity and claims must not be sent under.
    static let reservedAuthHeaders: Set<String> = [
        "host", "connection", "upgrade", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "content-length", "authorization", "proxy-authorization", "cookie", "sec-websocket-key",
        "sec-websocket-version", "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-protocol",
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip",
    ]

    /// The `auth` key of `object` (a route or `defaults`): absent keeps `inherited`, `null` turns
    /// authentication off, an object replaces `inherited` as a whole.
    func decodeAuth(in object: ConfigObject, inheriting inherited: AuthConfig?) throws(ConfigError) -> AuthConfig? {
        guard let value = object.members["auth"] else { return inherited }
        if value.isNull { return nil }
        let auth = try ConfigObject(value, at: object.path("auth"), allowedKeys: Self.authKeys)
        var config = AuthConfig()
        if let sources = try auth.array("sources") {
            config.sources = try decodeSources(sources, at: auth.path("sources"))
        }
        config.queryParameter = try auth.string("query_param") ?? config.queryParameter
        try Self.require(config.queryParameter, at: auth.path("query_param"), is: Self.isQueryName,
                         "must be letters, digits, '-', '.', '_' or '~'")
        config.cookieName = try auth.string("cookie") ?? config.cookieName
        try Self.require(config.cookieName, at: auth.path("cookie"), is: { HTTPToken.isValid($0) }, "must be a cookie name (a token)")
        config.subprotocolPrefix = try auth.string("subprotocol_prefix") ?? config.subprotocolPrefix
        try Self.require(config.subprotocolPrefix, at: auth.path("subprotocol_prefix"), is: { HTTPToken.isValid($0) },
                         "must be token characters, as subprotocols are")
        config.staticTokensFile = try auth.string("static_tokens_file").map { path throws(ConfigError) in
            try readableFile(path, at: auth.path("static_tokens_file"))
        }
        config.jwt = try auth.members["jwt"].map { value throws(ConfigError) in
            try decodeJWT(value, at: auth.path("jwt"))
        }
        config.identityHeader = try auth.string("identity_header") ?? config.identityHeader
        try Self.validateAuthHeader(config.identityHeader, at: auth.path("identity_header"))
        config.claimHeaders = try decodeClaimHeaders(auth, identityHeader: config.identityHeader)
        if let identities = try auth.array("allowed_identities") {
            config.allowedIdentities = try decodeStrings(
                identities, at: auth.path("allowed_identities"), allowEmpty: false)
        }
        if let value = auth.members["first_message"] {
            let firstMessage = try ConfigObject(value, at: auth.path("first_message"), allowedKeys: ["timeout"])
            config.firstMessageTimeout = try firstMessage.milliseconds("timeout", allowZero: false) ?? 5_000
        }
        config.stripCredentials = try auth.bool("strip_credentials") ?? config.stripCredentials
        guard config.staticTokensFile != nil || config.jwt != nil else {
            throw ConfigError(keyPath: auth.keyPath, message: "needs static_tokens_file or jwt")
        }
        do throws(AuthSetupError) {
            _ = try Authenticator(config: config)
        } catch {
            throw ConfigError(keyPath: auth.path(error.keyPath), message: error.message)
        }
        return config
    }

    private func decodeSources(_ items: [JSONValue], at keyPath: String) throws(ConfigError) -> [TokenSource] {
        guard !items.isEmpty else { throw ConfigError(keyPath: keyPath, message: "must not be empty") }
        var sources: [TokenSource] = []
        for (index, item) in items.enumerated() {
            let itemPath = ConfigObject.element(keyPath, index)
            let name = try expectString(item, at: itemPath)
            guard let source = TokenSource(rawValue: name) else {
                throw ConfigError(keyPath: itemPath, message: "unknown source \"\(name)\" (allowed: header, query, cookie, subprotocol)")
            }
            guard !sources.contains(source) else { throw ConfigError(keyPath: itemPath, message: "\"\(name)\" listed twice") }
            sources.append(source)
        }
        return sources
    }

    private func decodeJWT(_ value: JSONValue, at keyPath: String) throws(ConfigError) -> JWTConfig {
        let object = try ConfigObject(value, at: keyPath, allowedKeys: Self.jwtKeys)
        var jwt = JWTConfig()
        jwt.hmacSecretFile = try object.string("hs_secret_file").map { path throws(ConfigError) in
            try readableFile(path, at: object.path("hs_secret_file"))
        }
        if let files = try object.array("public_key_files") {
            let paths = try decodeStrings(files, at: object.path("public_key_files"), allowEmpty: false)
            for (index, path) in paths.enumerated() {
                jwt.publicKeyFiles.append(try readableFile(path, at: ConfigObject.element(object.path("public_key_files"), index)))
            }
        }
        jwt.jwksFile = try object.string("jwks_file").map { path throws(ConfigError) in
            try readableFile(path, at: object.path("jwks_file"))
        }
        if let names = try object.array("algorithms") {
            jwt.algorithms = try decodeAlgorithms(names, at: object.path("algorithms"))
        }
        jwt.issuer = try object.string("issuer")
        jwt.audience = try object.string("audience")
        for key in ["issuer", "audience"] where object.members[key]?.stringValue == "" {
            throw ConfigError(keyPath: object.path(key), message: "must not be empty")
        }
        jwt.leeway = try object.milliseconds("leeway", allowZero: true) ?? jwt.leeway
        if let claims = try object.array("required_claims") {
            jwt.requiredClaims = try decodeStrings(claims, at: object.path("required_claims"), allowEmpty: true)
        }
        guard jwt.hmacSecretFile != nil || !jwt.publicKeyFiles.isEmpty || jwt.jwksFile != nil else {
            throw ConfigError(keyPath: keyPath, message: "needs hs_secret_file, public_key_files or jwks_file")
        }
        return jwt
    }

    private func decodeAlgorithms(_ items: [JSONValue], at keyPath: String) throws(ConfigError) -> [JWTAlgorithm] {
        let names = try decodeStrings(items, at: keyPath, allowEmpty: false)
        var algorithms: [JWTAlgorithm] = []
        for (index, name) in names.enumerated() {
            let itemPath = ConfigObject.element(keyPath, index)
            guard let algorithm = JWTAlgorithm(rawValue: name) else {
                let allowed = JWTAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
                let hint = name.lowercased() == "none" ? "unsigned tokens are never accepted" : "allowed: \(allowed)"
                throw ConfigError(keyPath: itemPath, message: "unsupported algorithm \"\(name)\" (\(hint))")
            }
            algorithms.append(algorithm)
        }
        return algorithms
    }

    private func decodeClaimHeaders(_ auth: ConfigObject, identityHeader: String) throws(ConfigError) -> [ClaimHeader] {
        guard let value = auth.members["claim_headers"] else { return [] }
        guard case .object(let members) = value else {
            throw wrongType(value, expected: "an object", at: auth.path("claim_headers"))
        }
        var mappings: [ClaimHeader] = []
        var taken: Set<String> = [identityHeader.lowercased()]
        for member in members.members {
            let itemPath = ConfigObject.join(auth.path("claim_headers"), member.key)
            let header = try expectString(member.value, at: itemPath)
            try Self.validateAuthHeader(header, at: itemPath)
            guard taken.insert(header.lowercased()).inserted else {
                throw ConfigError(keyPath: itemPath, message: "header \"\(header)\" is already used")
            }
            mappings.append(ClaimHeader(claim: member.key, header: header))
        }
        return mappings
    }

    /// Strings of a JSON array, none empty or repeated.
    private func decodeStrings(_ items: [JSONValue], at keyPath: String, allowEmpty: Bool) throws(ConfigError) -> [String] {
        if items.isEmpty && !allowEmpty { throw ConfigError(keyPath: keyPath, message: "must not be empty") }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            let itemPath = ConfigObject.element(keyPath, index)
            let text = try expectString(item, at: itemPath)
            guard !text.isEmpty else { throw ConfigError(keyPath: itemPath, message: "must not be empty") }
            guard !strings.contains(text) else { throw ConfigError(keyPath: itemPath, message: "\"\(text)\" listed twice") }
            strings.append(text)
        }
        return strings
    }

    /// `path` resolved against the configuration's directory, checked to be a readable file.
    private func readableFile(_ path: String, at keyPath: String) throws(ConfigError) -> String {
        let resolved = ConfigFiles.resolve(path, against: baseDirectory)
        try ConfigFiles.requireReadableFile(resolved, at: keyPath)
        return resolved
    }

    /// A header the gateway sets upstream: a valid field name it does not already own.
    private static func validateAuthHeader(_ name: String, at keyPath: String) throws(ConfigError) {
        guard HTTPToken.isValid(name) else { throw ConfigError(keyPath: keyPath, message: "must be a header name") }
        guard !reservedAuthHeaders.contains(name.lowercased()) else {
            throw ConfigError(keyPath: keyPath, message: "\"\(name)\" is set by the gateway or the handshake")
        }
    }

    private static func require(
        _ text: String, at keyPath: String, is valid: (String) -> Bool, _ message: String
    ) throws(ConfigError) {
        guard valid(text) else { throw ConfigError(keyPath: keyPath, message: message) }
    }

    /// RFC 3986 unreserved characters: a name that means the same encoded or not.
    private static func isQueryName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "-._~".utf8.contains(byte)
        }
    }
}
