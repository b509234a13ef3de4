import COpenSSL
import Foundation
import Testing
import WSHTTP
@testable import WSGateway

/// A key pair generated with OpenSSL for the test run.
final class TestKeyPair: @unchecked Sendable {
    // The EVP_PKEY is only read after creation (signing, exporting), which OpenSSL allows from any thread.
    let key: OpaquePointer

    init(rsaBits: Int32) {
        key = Self.generate(EVP_PKEY_RSA) { EVP_PKEY_CTX_set_rsa_keygen_bits($0, rsaBits) }
    }

    init(curve: Int32) {
        key = Self.generate(EVP_PKEY_EC) { EVP_PKEY_CTX_set_ec_paramgen_curve_nid($0, curve) }
    }

    deinit { EVP_PKEY_free(key) }

    private static func generate(_ type: Int32, _ configure: (OpaquePointer?) -> Int32) -> OpaquePointer {
        let context = EVP_PKEY_CTX_new_id(type, nil)
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        precondition(EVP_PKEY_keygen_init(context) == 1 && configure(context) == 1)
        precondition(EVP_PKEY_keygen(context, &key) == 1)
        return key!
    }

    /// The public key as a PEM `PUBLIC KEY` block.
    var publicPEM: String {
        let bio = BIO_new(BIO_s_mem())
        defer { BIO_free(bio) }
        precondition(PEM_write_bio_PUBKEY(bio, key) == 1)
        var data: UnsafeMutablePointer<CChar>?
        let length = wsg_BIO_get_mem_data(bio, &data)
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    /// A big-endian key parameter ("n", "e", "qx", "qy"), left-padded to `width` bytes when given.
    func parameter(_ name: String, width: Int32 = 0) -> [UInt8] {
        var number: OpaquePointer?
        precondition(EVP_PKEY_get_bn_param(key, name, &number) == 1)
        defer { BN_free(number) }
        let count = width > 0 ? width : (BN_num_bits(number) + 7) / 8
        var bytes = [UInt8](repeating: 0, count: Int(count))
        precondition(BN_bn2binpad(number, &bytes, count) == count)
        return bytes
    }

    /// A JWK object (without braces' surroundings) for this public key.
    func jwk(kid: String?, extra: String = "") -> String {
        let kidMember = kid.map { #""kid":"\#($0)","# } ?? ""
        if EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA {
            return #"{\#(kidMember)"kty":"RSA","n":"\#(b64url(parameter("n")))","e":"\#(b64url(parameter("e")))"\#(extra)}"#
        }
        let x = b64url(parameter("qx", width: 32))
        let y = b64url(parameter("qy", width: 32))
        return #"{\#(kidMember)"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)"\#(extra)}"#
    }

    /// The signature of `input` with SHA-256: PKCS#1 v1.5 for RSA, raw r‖s (JWS form) for EC.
    func sign(_ input: [UInt8]) -> [UInt8] {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        precondition(EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1)
        var length = 0
        precondition(EVP_DigestSign(context, nil, &length, input, input.count) == 1)
        var signature = [UInt8](repeating: 0, count: length)
        precondition(EVP_DigestSign(context, &signature, &length, input, input.count) == 1)
        signature.removeLast(signature.count - length)
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC else { return signature }
        return signature.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            let parsed = d2i_ECDSA_SIG(nil, &cursor, buffer.count)
            defer { ECDSA_SIG_free(parsed) }
            var raw = [UInt8](repeating: 0, count: 64)
            raw.withUnsafeMutableBufferPointer { out in
                _ = BN_bn2binpad(ECDSA_SIG_get0_r(parsed), out.baseAddress, 32)
                _ = BN_bn2binpad(ECDSA_SIG_get0_s(parsed), out.baseAddress! + 32, 32)
            }
            return raw
        }
    }
}

/// Keys shared by every auth test: generating RSA keys is slow.
enum TestKeys {
    static let rsa = TestKeyPair(rsaBits: 2048)
    static let otherRSA = TestKeyPair(rsaBits: 2048)
    static let ec = TestKeyPair(curve: NID_X9_62_prime256v1)
    static let otherEC = TestKeyPair(curve: NID_X9_62_prime256v1)
    static let smallRSA = TestKeyPair(rsaBits: 1024)
    static let p384 = TestKeyPair(curve: NID_secp384r1)
    /// 64 bytes, enough for HS512.
    static let secret = Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".utf8)
}

/// Unpadded base64url.
func b64url(_ bytes: some Sequence<UInt8>) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// How a test token is signed.
enum TestSigner {
    case hmac(hash: String, secret: [UInt8])
    case key(TestKeyPair)
    case unsigned
}

/// A compact JWS with `header` and `claims` (JSON object texts), signed by `signer`.
func makeJWT(header: String, claims: String, signer: TestSigner) -> String {
    let input = "\(b64url(Array(header.utf8))).\(b64url(Array(claims.utf8)))"
    let bytes = Array(input.utf8)
    let signature: [UInt8]
    switch signer {
    case .unsigned:
        signature = []
    case .key(let pair):
        signature = pair.sign(bytes)
    case .hmac(let hash, let secret):
        let digest = hash == "384" ? EVP_sha384() : hash == "512" ? EVP_sha512() : EVP_sha256()
        var output = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        HMAC(digest, secret, Int32(secret.count), bytes, bytes.count, &output, &length)
        signature = Array(output[..<Int(length)])
    }
    return "\(input).\(b64url(signature))"
}

/// The fixed "now" of auth tests, seconds since the epoch.
let testNow: Double = 1_700_000_000

/// Claims for `sub` valid at `testNow`, with `extra` members appended.
func claims(sub: String = "alice", exp: Double = testNow + 600, extra: String = "") -> String {
    #"{"sub":"\#(sub)","exp":\#(Int(exp))\#(extra)}"#
}

/// A token signed with RS256 by `TestKeys.rsa` (or `pair`).
func rs256(_ claimsText: String = claims(), pair: TestKeyPair = TestKeys.rsa, kid: String? = nil) -> String {
    let kidMember = kid.map { #","kid":"\#($0)""# } ?? ""
    return makeJWT(header: #"{"alg":"RS256","typ":"JWT"\#(kidMember)}"#, claims: claimsText, signer: .key(pair))
}

/// A token signed with ES256 by `TestKeys.ec` (or `pair`).
func es256(_ claimsText: String = claims(), pair: TestKeyPair = TestKeys.ec, kid: String? = nil) -> String {
    let kidMember = kid.map { #","kid":"\#($0)""# } ?? ""
    return makeJWT(header: #"{"alg":"ES256"\#(kidMember)}"#, claims: claimsText, signer: .key(pair))
}

/// A token signed with HS256/384/512 by `TestKeys.secret` (or `secret`).
func hs(_ bits: String = "256", _ claimsText: String = claims(), secret: [UInt8] = TestKeys.secret) -> String {
    makeJWT(header: #"{"alg":"HS\#(bits)","typ":"JWT"}"#, claims: claimsText, signer: .hmac(hash: bits, secret: secret))
}

/// Key, secret, JWKS and token files in a temporary directory.
final class AuthFiles {
    let directory: TemporaryDirectory
    let secret: String
    let rsaPEM: String
    let ecPEM: String
    let jwks: String
    let tokens: String

    /// Static tokens: `alice-static-token` (plain) and the SHA-256 of `bob-static-token`.
    static let tokenFile = """
        # static tokens
        alice-static-token alice

        sha256:\(TokenDigest(of: Array("bob-static-token".utf8)).bytes.map { String(format: "%02x", $0) }.joined()) bob
        """

    init() throws {
        directory = try TemporaryDirectory()
        secret = try directory.createFile("secret.bin", contents: String(decoding: TestKeys.secret, as: UTF8.self) + "\n")
        rsaPEM = try directory.createFile("rs.pem", contents: TestKeys.rsa.publicPEM)
        ecPEM = try directory.createFile("ec.pem", contents: TestKeys.ec.publicPEM)
        let keys = [TestKeys.rsa.jwk(kid: "r1"), TestKeys.otherRSA.jwk(kid: "r2"), TestKeys.ec.jwk(kid: "e1")]
        jwks = try directory.createFile("jwks.json", contents: #"{"keys":[\#(keys.joined(separator: ","))]}"#)
        tokens = try directory.createFile("tokens.txt", contents: Self.tokenFile)
    }

    /// An authenticator at `testNow` for `config`.
    func authenticator(_ config: AuthConfig) throws -> Authenticator {
        try Authenticator(config: config, clock: { testNow })
    }

    /// JWT settings using the secret and both PEM keys for every algorithm, with `configure` applied.
    func jwtConfig(_ configure: (inout JWTConfig) -> Void = { _ in }) -> JWTConfig {
        var jwt = JWTConfig(
            hmacSecretFile: secret, publicKeyFiles: [rsaPEM, ecPEM], algorithms: JWTAlgorithm.allCases)
        configure(&jwt)
        return jwt
    }
}

/// An upgrade request head for `target` with `headers`.
func upgradeRequest(_ target: String = "/chat", headers: [(String, String)] = []) -> HTTPRequestHead {
    HTTPRequestHead(method: "GET", target: target, headers: HTTPHeaders([("Host", "gw.example")] + headers))
}

/// The success of `decision`, or nil after recording an issue.
func accepted(_ decision: AuthDecision, sourceLocation: SourceLocation = #_sourceLocation) -> AuthSuccess? {
    if case .accepted(let success) = decision { return success }
    Issue.record("expected acceptance, got \(decision)", sourceLocation: sourceLocation)
    return nil
}

/// The rejection of `decision`, or nil after recording an issue.
func rejected(_ decision: AuthDecision, sourceLocation: SourceLocation = #_sourceLocation) -> AuthRejection? {
    if case .rejected(let rejection) = decision { return rejection }
    Issue.record("expected rejection, got \(decision)", sourceLocation: sourceLocation)
    return nil
}

/// The reason `token`, sent as a bearer header, is refused (nil when it is accepted).
func bearerRejection(_ authenticator: Authenticator, _ token: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    rejected(authenticator.authenticate(request: upgradeRequest(headers: [("Authorization", "Bearer \(token)")]),
                                        subprotocols: []), sourceLocation: sourceLocation)?.reason
}

/// The identity `token`, sent as a bearer header, is accepted as.
func bearerIdentity(_ authenticator: Authenticator, _ token: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    accepted(authenticator.authenticate(request: upgradeRequest(headers: [("Authorization", "Bearer \(token)")]),
                                        subprotocols: []), sourceLocation: sourceLocation)?.identity
}
