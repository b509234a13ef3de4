import Glibc
import WSHTTP
import WSJSON

/// Decides whether a route's upgrade requests may pass, from static tokens and/or JWTs.
///
/// Built once per route when the runtime is built (keys parsed, secrets read), then shared read-only by
/// every loop. Its methods run once per connection, on the connection's loop; they allocate.
public final class Authenticator: Sendable {
    /// The configuration this authenticator was built from.
    public let config: AuthConfig
    private let staticTokens: StaticTokenTable?
    private let jwt: JWTVerifier?
    private let allowedIdentities: Set<String>?
    /// Lower-cased identity and claim header names, which clients must never set themselves.
    private let managedHeaders: Set<String>
    private let clock: @Sendable () -> Double

    /// How long (ms) to wait for an auth message after a credential-less handshake; nil when the route
    /// requires the credential in the handshake.
    public var firstMessageTimeoutMilliseconds: Int? { config.firstMessageTimeout }

    /// Loads the files `config` names. `clock` gives seconds since the epoch (tests pass a fixed time).
    public init(
        config: AuthConfig, clock: @escaping @Sendable () -> Double = Authenticator.wallClock
    ) throws(AuthSetupError) {
        self.config = config
        self.clock = clock
        if let path = config.staticTokensFile {
            staticTokens = try StaticTokenTable(path: path)
        } else {
            staticTokens = nil
        }
        if let jwtConfig = config.jwt {
            jwt = try JWTVerifierBuilder.build(jwtConfig)
        } else {
            jwt = nil
        }
        guard staticTokens != nil || jwt != nil else {
            throw AuthSetupError(.validators, "needs static_tokens_file or jwt")
        }
        allowedIdentities = config.allowedIdentities.map(Set.init)
        managedHeaders = Set(([config.identityHeader] + config.claimHeaders.map(\.header)).map { $0.lowercased() })
    }

    /// Judges an upgrade request; `subprotocols` are the ones it offers, in order.
    public func authenticate(request: HTTPRequestHead, subprotocols: [String]) -> AuthDecision {
        let search = CredentialSearch(request: request, subprotocols: subprotocols, config: config)
        guard !search.malformed else { return .rejected(AuthRejection(.malformedToken)) }
        guard let token = search.token else {
            return config.firstMessageTimeout == nil ? .rejected(AuthRejection(.missingToken)) : .deferredToFirstMessage
        }
        let principal: Principal
        do throws(AuthFailure) {
            principal = try identify(token)
        } catch {
            return .rejected(AuthRejection(error))
        }
        var edits = UpstreamEdits(principal: principal, managedHeaders: managedHeaders, identityHeader: config.identityHeader)
        if config.stripCredentials {
            edits.strip(search, request: request, subprotocols: subprotocols, config: config)
        }
        return .accepted(edits.success)
    }

    /// Judges the first message of a connection whose handshake was deferred (an unmasked text payload).
    /// Never defers again: a message without a valid token is rejected.
    public func authenticateFirstMessage(_ payload: UnsafeRawBufferPointer) -> AuthDecision {
        do throws(AuthFailure) {
            let principal = try identify(try AuthMessage.token(in: payload))
            let edits = UpstreamEdits(
                principal: principal, managedHeaders: managedHeaders, identityHeader: config.identityHeader)
            return .accepted(edits.success)
        } catch {
            return .rejected(AuthRejection(error))
        }
    }

    /// Who holds `token`, checked against `allowedIdentities`.
    private func identify(_ token: [UInt8]) throws(AuthFailure) -> Principal {
        let principal = try validate(token)
        if let allowedIdentities, !allowedIdentities.contains(principal.identity) { throw .identityNotAllowed }
        return principal
    }

    /// Static tokens are tried first (one hash lookup); anything shaped like a JWS then goes to the JWT checks.
    private func validate(_ token: [UInt8]) throws(AuthFailure) -> Principal {
        if let identity = staticTokens?.identity(of: token) {
            return Principal(identity: identity, claimHeaders: [])
        }
        guard let jwt, token.contains(UInt8(ascii: ".")) else {
            throw staticTokens == nil ? .malformedToken : .unknownToken
        }
        let claims = try jwt.claims(of: token, now: clock())
        guard let subject = claims["sub"] else { throw .missingClaim("sub") }
        guard let identity = subject.stringValue, HeaderValue.isSafe(identity) else { throw .malformedClaim("sub") }
        var claimHeaders: [(String, String)] = []
        for mapping in config.claimHeaders {
            guard let value = claims[mapping.claim] else { continue }
            claimHeaders.append((mapping.header, try Self.headerValue(value, claim: mapping.claim)))
        }
        return Principal(identity: identity, claimHeaders: claimHeaders)
    }

    /// A forwarded claim's header value: strings as they are, numbers in plain decimal; anything else, or a
    /// value that could break the header line, invalidates the token.
    private static func headerValue(_ value: JSONValue, claim: String) throws(AuthFailure) -> String {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = value.intValue.map(String.init) ?? String(number)
        default: throw .malformedClaim(claim)
        }
        guard HeaderValue.isSafe(text) else { throw .malformedClaim(claim) }
        return text
    }

    /// Seconds since the epoch from the system's real-time clock.
    @Sendable public static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}

/// An authenticated identity and the claims forwarded for it.
struct Principal {
    let identity: String
    let claimHeaders: [(String, String)]
}
