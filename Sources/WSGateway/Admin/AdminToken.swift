import COpenSSL

/// The secret guarding the admin endpoints, kept only as its SHA-256 and compared in constant time.
/// Accepted as `Authorization: Bearer <token>`, or as the password of HTTP Basic (any user name),
/// which browsers send by themselves for the status page once asked.
struct AdminToken: Sendable {
    private let digest: TokenDigest

    static let minimumLength = 16
    static let maximumLength = 4_096

    init(token: some Collection<UInt8>) {
        digest = TokenDigest(of: token)
    }

    /// Loads the file at `path`: one token of 16–4096 visible ASCII characters, surrounding whitespace ignored.
    static func load(path: String) throws(AdminTokenError) -> AdminToken {
        let bytes: [UInt8]
        do throws(ConfigError) {
            try ConfigFiles.requireReadableFile(path, at: "")
            bytes = try ConfigFiles.read(path)
        } catch {
            throw AdminTokenError(path: path, problem: error.message)
        }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let token = bytes.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        guard (minimumLength...maximumLength).contains(token.count) else {
            throw AdminTokenError(path: path, problem: "the token must be \(minimumLength)–\(maximumLength) characters")
        }
        guard token.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw AdminTokenError(path: path, problem: "the token must be visible ASCII without spaces")
        }
        return AdminToken(token: token)
    }

    /// Whether the request's `Authorization` field values carry this token.
    func accepts(authorization values: [String]) -> Bool {
        guard values.count == 1, let value = values.first else { return false }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return false }
        let credential = parts[1].drop { $0 == " " }
        switch parts[0].lowercased() {
        case "bearer":
            return TokenDigest(of: Array(credential.utf8)) == digest
        case "basic":
            guard let decoded = Self.decodeBase64(Array(credential.utf8)),
                  let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return false }
            return TokenDigest(of: decoded[(colon + 1)...]) == digest
        default:
            return false
        }
    }

    /// Standard padded base64, as HTTP Basic uses; nil when malformed.
    private static func decodeBase64(_ text: [UInt8]) -> [UInt8]? {
        guard !text.isEmpty, text.count % 4 == 0, text.count <= 8_192 else { return nil }
        var output = [UInt8](repeating: 0, count: text.count / 4 * 3)
        let length = text.withUnsafeBufferPointer { input in
            EVP_DecodeBlock(&output, input.baseAddress, Int32(input.count))
        }
        guard length >= 0 else { return nil }
        // EVP_DecodeBlock counts the bytes that padding stands for.
        let padding = text.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return nil }
        return Array(output[..<(Int(length) - padding)])
    }
}

/// An admin token file that cannot be used, with its path.
struct AdminTokenError: Error, CustomStringConvertible {
    let path: String
    let problem: String

    var description: String { "\(path): \(problem)" }
}
