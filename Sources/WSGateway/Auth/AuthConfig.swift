/// Authentication of a route's WebSocket upgrades (the `auth` object of a route or of `defaults`).
/// File paths are already resolved; `Authenticator(config:)` loads what they name.
public struct AuthConfig: Sendable, Hashable {
    /// Where credentials are looked for, in this order; the first one found is used.
    public var sources: [TokenSource]
    /// Query parameter carrying the token (`?token=…`).
    public var queryParameter: String
    /// Cookie carrying the token.
    public var cookieName: String
    /// Prefix of the offered subprotocol carrying the token (`bearer.<token>`).
    public var subprotocolPrefix: String
    /// File of static tokens (`<token> <identity>` or `sha256:<hex> <identity>` per line).
    public var staticTokensFile: String?
    /// JSON Web Token validation, if accepted.
    public var jwt: JWTConfig?
    /// Header that carries the authenticated identity upstream; client-sent copies are removed.
    public var identityHeader: String
    /// JWT claims forwarded upstream as headers, in this order; client-sent copies are removed.
    public var claimHeaders: [ClaimHeader]
    /// When set, only these identities are let through (others get 403).
    public var allowedIdentities: [String]?
    /// When set, a handshake without a credential waits this long (ms) for an auth message instead of failing.
    public var firstMessageTimeout: Int?
    /// Whether credentials are removed from what is sent upstream (Authorization, query, cookie, subprotocol).
    public var stripCredentials: Bool

    /// Creates an auth configuration; only the validators are required.
    public init(
        sources: [TokenSource] = TokenSource.allCases, queryParameter: String = "token", cookieName: String = "token",
        subprotocolPrefix: String = "bearer.", staticTokensFile: String? = nil, jwt: JWTConfig? = nil,
        identityHeader: String = "X-Auth-Identity", claimHeaders: [ClaimHeader] = [],
        allowedIdentities: [String]? = nil, firstMessageTimeout: Int? = nil, stripCredentials: Bool = true
    ) {
        self.sources = sources
        self.queryParameter = queryParameter
        self.cookieName = cookieName
        self.subprotocolPrefix = subprotocolPrefix
        self.staticTokensFile = staticTokensFile
        self.jwt = jwt
        self.identityHeader = identityHeader
        self.claimHeaders = claimHeaders
        self.allowedIdentities = allowedIdentities
        self.firstMessageTimeout = firstMessageTimeout
        self.stripCredentials = stripCredentials
    }
}

/// A place in the upgrade request where a token can be.
public enum TokenSource: String, Sendable, Hashable, CaseIterable {
    /// `Authorization: Bearer <token>`.
    case header
    /// A query parameter of the request target.
    case query
    /// A cookie of the `Cookie` header.
    case cookie
    /// An offered subprotocol `<prefix><token>`, for browsers, which cannot set headers.
    case subprotocol
}

/// One JWT claim forwarded upstream as a header.
public struct ClaimHeader: Sendable, Hashable {
    /// Claim name in the token's payload.
    public var claim: String
    /// Header name it is sent under.
    public var header: String

    /// Creates a claim-to-header mapping.
    public init(claim: String, header: String) {
        self.claim = claim
        self.header = header
    }
}

/// How JSON Web Tokens are validated.
public struct JWTConfig: Sendable, Hashable {
    /// File holding the HMAC secret for HS256/384/512 (one trailing newline is ignored).
    public var hmacSecretFile: String?
    /// PEM public keys (RSA ≥ 2048 bits or EC P-256) for RS256/ES256.
    public var publicKeyFiles: [String]
    /// JSON Web Key Set with RSA and EC P-256 keys, selected by `kid`.
    public var jwksFile: String?
    /// Accepted `alg` values; nil means those the configured keys can check (HS256, RS256, ES256).
    public var algorithms: [JWTAlgorithm]?
    /// Required exact `iss`, if any.
    public var issuer: String?
    /// Audience that `aud` (a string or an array) must contain, if any.
    public var audience: String?
    /// Milliseconds of clock skew allowed when checking `exp` and `nbf`.
    public var leeway: Int
    /// Claims every token must carry.
    public var requiredClaims: [String]

    /// Creates a JWT configuration.
    public init(
        hmacSecretFile: String? = nil, publicKeyFiles: [String] = [], jwksFile: String? = nil,
        algorithms: [JWTAlgorithm]? = nil, issuer: String? = nil, audience: String? = nil,
        leeway: Int = JWTConfig.defaultLeeway, requiredClaims: [String] = JWTConfig.defaultRequiredClaims
    ) {
        self.hmacSecretFile = hmacSecretFile
        self.publicKeyFiles = publicKeyFiles
        self.jwksFile = jwksFile
        self.algorithms = algorithms
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.requiredClaims = requiredClaims
    }

    /// 30 seconds: enough for ordinary clock drift between issuer and gateway.
    public static let defaultLeeway = 30_000
    /// Tokens without an expiry would be valid forever, so `exp` is required unless configured otherwise.
    public static let defaultRequiredClaims = ["exp"]
}

/// A JWS algorithm wsgate can verify.
public enum JWTAlgorithm: String, Sendable, Hashable, CaseIterable {
    case hs256 = "HS256"
    case hs384 = "HS384"
    case hs512 = "HS512"
    case rs256 = "RS256"
    case es256 = "ES256"

    /// True for the HMAC algorithms, which use the shared secret.
    var isHMAC: Bool { self == .hs256 || self == .hs384 || self == .hs512 }
}
