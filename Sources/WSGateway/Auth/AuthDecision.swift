/// The outcome of authenticating one upgrade request or auth message.
public enum AuthDecision: Sendable {
    /// Forward the connection, with the request edits `AuthSuccess` describes.
    case accepted(AuthSuccess)
    /// Refuse it: an HTTP status before the upgrade, a 1008 close after it.
    case rejected(AuthRejection)
    /// No credential in the handshake and the route takes one in the first message: upgrade, then wait.
    case deferredToFirstMessage
}

/// An authenticated client and how its request is to be changed before it goes upstream.
public struct AuthSuccess: Sendable {
    /// Who the client is: the token's `sub`, or the name given to a static token.
    public let identity: String
    /// Lower-cased names of client headers to drop upstream: the identity and claim headers (so clients
    /// cannot forge them) and, when credentials are stripped, `authorization`, `cookie` and
    /// `sec-websocket-protocol` if they carried one.
    public let removeHeaders: Set<String>
    /// Headers to add upstream, in order: identity, claims, and rewritten `Cookie`/`Sec-WebSocket-Protocol`.
    public let addHeaders: [(String, String)]
    /// The query parameter to remove from the upstream target, when the token came from there.
    public let strippedQueryParameter: String?
    /// The offered subprotocol to withhold from the upstream, when the token came from there.
    public let strippedSubprotocol: String?

    /// `target` (the client's or the routed upstream target) without the credential's query parameter;
    /// every other parameter is kept byte for byte, in order.
    public func upstreamTarget(_ target: String) -> String {
        guard let strippedQueryParameter else { return target }
        return QueryString.removing(parameter: strippedQueryParameter, from: target)
    }

    /// The subprotocols to offer upstream (and to accept from it): `offered` without the credential.
    public func forwardedSubprotocols(_ offered: [String]) -> [String] {
        guard let strippedSubprotocol else { return offered }
        return offered.filter { $0 != strippedSubprotocol }
    }
}

/// A refused request.
public struct AuthRejection: Sendable, Equatable {
    /// 401 (no valid credential) or 403 (valid, but this identity is not allowed).
    public let status: Int
    /// Short categorical reason for logs and the response body; never contains token text.
    public let reason: String
    /// Extra response headers: `WWW-Authenticate` on 401.
    public let headers: [HeaderField]

    /// A rejection for `failure`.
    init(_ failure: AuthFailure) {
        reason = failure.description
        switch failure {
        case .identityNotAllowed:
            status = 403
            headers = []
        case .missingToken:
            status = 401
            headers = [HeaderField(name: "WWW-Authenticate", value: "Bearer")]
        default:
            status = 401
            headers = [HeaderField(name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)]
        }
    }

    /// `headers` as the name/value pairs the HTTP writers take.
    public var headerPairs: [(String, String)] { headers.map { ($0.name, $0.value) } }
}

/// One header field (a comparable stand-in for a tuple).
public struct HeaderField: Sendable, Hashable {
    /// Field name.
    public let name: String
    /// Field value.
    public let value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a credential was refused. The descriptions are the categorical reasons wsgate logs: they name
/// what failed, never the token.
enum AuthFailure: Error, Equatable, CustomStringConvertible {
    case missingToken
    case malformedToken
    case malformedMessage
    case expired
    case notYetValid
    case badSignature
    case wrongIssuer
    case wrongAudience
    case unknownKeyID
    case algorithmNotAllowed
    case missingClaim(String)
    case malformedClaim(String)
    case unknownToken
    case identityNotAllowed

    var description: String {
        switch self {
        case .missingToken: "missing token"
        case .malformedToken: "malformed token"
        case .malformedMessage: "malformed auth message"
        case .expired: "expired"
        case .notYetValid: "not yet valid"
        case .badSignature: "bad signature"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .unknownKeyID: "unknown key id"
        case .algorithmNotAllowed: "algorithm not allowed"
        case .missingClaim(let name): "missing claim \(name)"
        case .malformedClaim(let name): "malformed claim \(name)"
        case .unknownToken: "unknown token"
        case .identityNotAllowed: "identity not allowed"
        }
    }
}
