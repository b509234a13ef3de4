extension ProxyOptions {
    /// Loads `auth` as the gateway will, reporting problems at the flag that named the file.
    func validateAuth() throws(ConfigError) {
        guard let auth else { return }
        do throws(AuthSetupError) {
            _ = try Authenticator(config: auth)
        } catch {
            throw ConfigError(keyPath: Self.flag(for: error.source) ?? "auth.\(error.keyPath)", message: error.message)
        }
    }

    private static func flag(for source: AuthSetupError.Source) -> String? {
        switch source {
        case .staticTokensFile: "--token-file"
        case .hmacSecretFile: "--jwt-secret-file"
        case .publicKeyFile: "--jwt-public-key"
        case .jwksFile, .algorithm, .jwt, .validators: nil
        }
    }
}
