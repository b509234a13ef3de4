/// The authentication flags of `wsgate proxy`.
extension ScannedFlags {
    /// Every flag that configures authentication.
    static let authFlags: [FlagSpec] = [
        .value("--token-file"), .value("--jwt-secret-file"), .value("--jwt-public-key", repeatable: true),
        .value("--jwt-issuer"), .value("--jwt-audience"),
    ]

    /// The route's `auth` from `--token-file` and the `--jwt-*` flags; nil when none is given.
    func auth() throws(CLIError) -> AuthConfig? {
        let secret = value("--jwt-secret-file")
        let publicKeys = allValues("--jwt-public-key")
        var jwt: JWTConfig?
        if secret != nil || !publicKeys.isEmpty {
            jwt = JWTConfig(
                hmacSecretFile: secret, publicKeyFiles: publicKeys, issuer: value("--jwt-issuer"),
                audience: value("--jwt-audience"))
        } else if let claimFlag = ["--jwt-issuer", "--jwt-audience"].first(where: { value($0) != nil }) {
            throw error("\(claimFlag) needs --jwt-secret-file or --jwt-public-key")
        }
        let tokenFile = value("--token-file")
        guard tokenFile != nil || jwt != nil else { return nil }
        return AuthConfig(staticTokensFile: tokenFile, jwt: jwt)
    }
}
