/// Loads the secret and keys a `JWTConfig` names and settles which algorithms they serve.
enum JWTVerifierBuilder {
    static func build(_ config: JWTConfig) throws(AuthSetupError) -> JWTVerifier {
        let secret = try config.hmacSecretFile.map { path throws(AuthSetupError) in try loadSecret(path) }
        var keys: [VerificationKey] = []
        for (index, path) in config.publicKeyFiles.enumerated() {
            keys.append(try loadPEMKey(path, index: index))
        }
        if let path = config.jwksFile { keys += try JWKSet.load(path: path) }
        guard secret != nil || !keys.isEmpty else {
            throw AuthSetupError(.jwt, "needs hs_secret_file, public_key_files or jwks_file")
        }
        let algorithms = try settleAlgorithms(config.algorithms, secret: secret, keys: keys)
        if let secret {
            for algorithm in algorithms where algorithm.isHMAC && secret.count < minimumSecretLength(algorithm) {
                throw AuthSetupError(
                    .hmacSecretFile,
                    "\(algorithm.rawValue) needs a secret of at least \(minimumSecretLength(algorithm)) bytes "
                        + "(RFC 7518 section 3.2); this one has \(secret.count)")
            }
        }
        return JWTVerifier(
            algorithms: Set(algorithms), hmacSecret: secret, keys: keys, selectsByKeyID: config.jwksFile != nil,
            issuer: config.issuer, audience: config.audience, leewaySeconds: Double(config.leeway) / 1000,
            requiredClaims: config.requiredClaims)
    }

    /// The configured list, each entry checked to have a key; by default every algorithm the keys allow
    /// (HS256 only among the HMAC ones, since longer hashes need longer secrets).
    private static func settleAlgorithms(
        _ configured: [JWTAlgorithm]?, secret: [UInt8]?, keys: [VerificationKey]
    ) throws(AuthSetupError) -> [JWTAlgorithm] {
        func hasKey(_ algorithm: JWTAlgorithm) -> Bool {
            algorithm.isHMAC ? secret != nil : keys.contains { $0.kind.algorithm == algorithm }
        }
        guard let configured else { return [.hs256, .rs256, .es256].filter(hasKey) }
        for (index, algorithm) in configured.enumerated() where !hasKey(algorithm) {
            let needed = algorithm.isHMAC ? "hs_secret_file" : algorithm == .rs256 ? "an RSA key" : "an EC P-256 key"
            throw AuthSetupError(.algorithm(index: index), "\(algorithm.rawValue) needs \(needed)")
        }
        return configured
    }

    /// The hash output size, which RFC 7518 makes the least key size.
    private static func minimumSecretLength(_ algorithm: JWTAlgorithm) -> Int {
        switch algorithm {
        case .hs384: 48
        case .hs512: 64
        default: 32
        }
    }

    /// The secret file's bytes, less one trailing newline (as `echo` and editors add).
    private static func loadSecret(_ path: String) throws(AuthSetupError) -> [UInt8] {
        var bytes: [UInt8]
        do throws(ConfigError) {
            bytes = try ConfigFiles.read(path)
        } catch {
            throw AuthSetupError(.hmacSecretFile, error.message)
        }
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        guard !bytes.isEmpty else { throw AuthSetupError(.hmacSecretFile, "\(path) is empty") }
        return bytes
    }

    private static func loadPEMKey(_ path: String, index: Int) throws(AuthSetupError) -> VerificationKey {
        let pem: [UInt8]
        do throws(ConfigError) {
            pem = try ConfigFiles.read(path)
        } catch {
            throw AuthSetupError(.publicKeyFile(index: index), error.message)
        }
        do throws(VerificationKey.LoadError) {
            return try VerificationKey(pem: pem)
        } catch {
            throw AuthSetupError(.publicKeyFile(index: index), "\(path): \(error.message)")
        }
    }
}
