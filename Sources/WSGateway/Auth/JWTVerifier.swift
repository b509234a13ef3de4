import COpenSSL
import WSJSON

/// Checks compact-serialised JWS tokens (RFC 7515) carrying JWT claims (RFC 7519).
///
/// Each algorithm has exactly one kind of key: HS* only the shared secret, RS256 only RSA keys, ES256
/// only P-256 keys. A token therefore cannot pick an algorithm that makes a public key act as an HMAC
/// secret, and `none` is never accepted.
struct JWTVerifier: Sendable {
    let algorithms: Set<JWTAlgorithm>
    let hmacSecret: [UInt8]?
    /// PEM keys then JWKS keys.
    let keys: [VerificationKey]
    /// Whether a JWKS was configured: then a token's `kid` must name one of its keys.
    let selectsByKeyID: Bool
    let issuer: String?
    let audience: String?
    let leewaySeconds: Double
    let requiredClaims: [String]

    /// Largest token considered; bounds the work an unauthenticated client can cause.
    static let maximumTokenLength = 16_384

    /// The verified claims of `token` at time `now` (seconds since the epoch).
    func claims(of token: [UInt8], now: Double) throws(AuthFailure) -> JSONObject {
        guard token.count <= Self.maximumTokenLength else { throw .malformedToken }
        let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedToken }
        guard let header = Self.object(parts[0]) else { throw .malformedToken }
        guard let name = header["alg"]?.stringValue else { throw .malformedToken }
        guard let algorithm = JWTAlgorithm(rawValue: name), algorithms.contains(algorithm) else {
            throw .algorithmNotAllowed
        }
        // Extensions we do not implement must make the token invalid (RFC 7515 section 4.1.11).
        guard !header.contains("crit") else { throw .malformedToken }
        if let type = header["typ"] {
            guard let text = type.stringValue, Self.acceptedTypes.contains(text.lowercased()) else {
                throw .malformedToken
            }
        }
        let keyID: String?
        if let value = header["kid"] {
            guard let text = value.stringValue else { throw .malformedToken }
            keyID = text
        } else {
            keyID = nil
        }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformedToken }
        let signingInput = token[..<parts[1].endIndex]
        try verify(signature, of: signingInput, algorithm: algorithm, keyID: keyID)
        guard let claims = Self.object(parts[1]) else { throw .malformedToken }
        try check(claims, now: now)
        return claims
    }

    /// `typ` values that mean a JWT: RFC 7519's `JWT` and RFC 9068's access-token type, any case.
    private static let acceptedTypes: Set<String> = ["jwt", "at+jwt", "application/jwt", "application/at+jwt"]

    private func verify(
        _ signature: [UInt8], of input: ArraySlice<UInt8>, algorithm: JWTAlgorithm, keyID: String?
    ) throws(AuthFailure) {
        if algorithm.isHMAC {
            guard let hmacSecret else { throw .algorithmNotAllowed }
            guard let expected = Self.hmac(algorithm, key: hmacSecret, input), ConstantTime.equal(expected, signature) else {
                throw .badSignature
            }
            return
        }
        let candidates: [VerificationKey]
        if let keyID, selectsByKeyID {
            guard let named = keys.first(where: { $0.keyID == keyID }) else { throw .unknownKeyID }
            guard named.kind.algorithm == algorithm else { throw .algorithmNotAllowed }
            candidates = [named]
        } else {
            candidates = keys.filter { $0.kind.algorithm == algorithm }
        }
        guard !candidates.isEmpty else { throw .algorithmNotAllowed }
        guard candidates.contains(where: { $0.verify(message: input, signature: signature) }) else {
            throw .badSignature
        }
    }

    private func check(_ claims: JSONObject, now: Double) throws(AuthFailure) {
        if let expiry = claims["exp"] {
            guard let seconds = expiry.doubleValue else { throw .malformedClaim("exp") }
            guard now < seconds + leewaySeconds else { throw .expired }
        }
        if let notBefore = claims["nbf"] {
            guard let seconds = notBefore.doubleValue else { throw .malformedClaim("nbf") }
            guard now + leewaySeconds >= seconds else { throw .notYetValid }
        }
        if let issuer, claims["iss"]?.stringValue != issuer { throw .wrongIssuer }
        if let audience {
            let matches: Bool
            switch claims["aud"] {
            case .string(let single): matches = single == audience
            case .array(let list): matches = list.contains { $0.stringValue == audience }
            default: matches = false
            }
            guard matches else { throw .wrongAudience }
        }
        for name in requiredClaims where claims[name] == nil || claims[name] == .null {
            throw .missingClaim(name)
        }
    }

    /// The HMAC of `input` with `algorithm`'s hash; nil if OpenSSL fails.
    private static func hmac(_ algorithm: JWTAlgorithm, key: [UInt8], _ input: ArraySlice<UInt8>) -> [UInt8]? {
        let digest: OpaquePointer? = switch algorithm {
        case .hs384: EVP_sha384()
        case .hs512: EVP_sha512()
        default: EVP_sha256()
        }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let produced = key.withUnsafeBytes { secret in
            input.withUnsafeBytes { data in
                HMAC(digest, secret.baseAddress, Int32(secret.count), data.bindMemory(to: UInt8.self).baseAddress,
                     data.count, &output, &length)
            }
        }
        guard produced != nil else {
            ERR_clear_error()
            return nil
        }
        return Array(output[..<Int(length)])
    }

    /// A base64url segment holding a JSON object, or nil.
    private static func object(_ segment: ArraySlice<UInt8>) -> JSONObject? {
        guard let bytes = Base64URL.decode(segment) else { return nil }
        return (try? JSONParser.parse(bytes, maxDepth: 16))?.objectValue
    }
}
