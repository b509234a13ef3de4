import COpenSSL
import FuzzSupport
import Glibc
import WSGateway

/// The authenticator under test, its secret, and HS256 signing for the harness.
struct AuthEnvironment: @unchecked Sendable {
    // @unchecked Sendable: built once before fuzzing starts and only read afterwards, on one thread.
    let authenticator: Authenticator
    let secret: [UInt8]
    /// The fixed time the authenticator sees (2023-11-14); seed tokens expire in 2027.
    static let now = 1_700_000_000.0
    static let staticToken = "fuzz-static-token-0001"

    static func make() -> AuthEnvironment {
        let secret = Array("wsgate fuzzing secret, 32+ bytes long!".utf8)
        let directory = "/tmp/wsgate-fuzz-auth-\(getpid())"
        mkdir(directory, 0o700)
        let secretFile = directory + "/secret.bin"
        let tokensFile = directory + "/tokens.txt"
        write(secret, to: secretFile)
        write(Array("\(staticToken) static-user\n".utf8), to: tokensFile)
        let config = AuthConfig(
            staticTokensFile: tokensFile,
            jwt: JWTConfig(hmacSecretFile: secretFile, algorithms: [.hs256], issuer: "https://issuer.example",
                           audience: "wsgate", requiredClaims: ["exp", "sub"]),
            claimHeaders: [ClaimHeader(claim: "role", header: "X-Auth-Role")],
            firstMessageTimeout: 5)
        let authenticator: Authenticator
        do throws(AuthSetupError) {
            authenticator = try Authenticator(config: config, clock: { AuthEnvironment.now })
        } catch {
            fuzzCheck(false, "auth setup failed: \(error)")
            exit(1)
        }
        unlink(secretFile)
        unlink(tokensFile)
        rmdir(directory)
        return AuthEnvironment(authenticator: authenticator, secret: secret)
    }

    private static func write(_ bytes: [UInt8], to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        fuzzCheck(fd >= 0 && Glibc.write(fd, bytes, bytes.count) == bytes.count, "cannot write \(path)")
        close(fd)
    }

    /// `base64url(header).base64url(claims).base64url(HMAC-SHA256)`.
    func sign(header: [UInt8], claims: [UInt8]) -> [UInt8] {
        let input = Base64URLText.encode(header) + [UInt8(ascii: ".")] + Base64URLText.encode(claims)
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = HMAC(EVP_sha256(), secret, Int32(secret.count), input, input.count, &mac, &length)
        return input + [UInt8(ascii: ".")] + Base64URLText.encode(mac)
    }
}

/// Unpadded base64url (RFC 4648 §5), for signing seed claims.
enum Base64URLText {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0...chunk.count {
                out.append(alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)])
            }
            index += 3
        }
        return out
    }
}
