/// Static tokens from a file, keyed by SHA-256 digest. Each line is `<token> <identity>` or
/// `sha256:<64 hex digits> <identity>`; blank lines and lines starting with `#` are ignored.
struct StaticTokenTable: Sendable {
    private let identities: [TokenDigest: String]

    /// Number of tokens.
    var count: Int { identities.count }

    /// Loads and parses the file at `path`.
    init(path: String) throws(AuthSetupError) {
        let bytes: [UInt8]
        do throws(ConfigError) {
            bytes = try ConfigFiles.read(path)
        } catch {
            throw AuthSetupError(.staticTokensFile, error.message)
        }
        try self.init(parsing: bytes, name: path)
    }

    /// Parses file contents; `name` only labels errors. Errors give line numbers, never token text.
    init(parsing bytes: [UInt8], name: String) throws(AuthSetupError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AuthSetupError(.staticTokensFile, "\(name) is not UTF-8")
        }
        var identities: [TokenDigest: String] = [:]
        var lineOfDigest: [TokenDigest: Int] = [:]
        // "\r\n" is one Character in Swift, so it is named as a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            func failure(_ message: String) -> AuthSetupError {
                AuthSetupError(.staticTokensFile, "\(name) line \(lineNumber): \(message)")
            }
            guard fields.count == 2 else { throw failure("expected \"<token> <identity>\"") }
            let token = fields[0]
            let identity = String(fields[1])
            guard token.utf8.allSatisfy(Self.isTokenByte) else {
                throw failure("the token has characters that cannot travel in a header, query or cookie")
            }
            guard HeaderValue.isSafe(identity) else { throw failure("the identity has control characters") }
            let digest: TokenDigest
            if token.hasPrefix("sha256:") {
                guard let parsed = TokenDigest(hex: token.dropFirst("sha256:".count)) else {
                    throw failure("sha256: must be followed by 64 hexadecimal digits")
                }
                digest = parsed
            } else {
                digest = TokenDigest(of: token.utf8)
            }
            if let previous = lineOfDigest[digest] {
                throw failure("the same token is already on line \(previous)")
            }
            lineOfDigest[digest] = lineNumber
            identities[digest] = identity
        }
        guard !identities.isEmpty else { throw AuthSetupError(.staticTokensFile, "\(name) holds no tokens") }
        self.identities = identities
    }

    /// The identity of `token`, or nil when it is not in the table.
    func identity(of token: some Collection<UInt8>) -> String? {
        identities[TokenDigest(of: token)]
    }

    /// Visible ASCII: what a token must be to travel in any of the sources.
    static func isTokenByte(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
}
