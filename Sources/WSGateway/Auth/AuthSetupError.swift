/// Why an `Authenticator` could not be built from its configuration: a file missing or unusable, or keys
/// that do not fit the algorithms. Messages never contain secret or token text.
public struct AuthSetupError: Error, Equatable, CustomStringConvertible {
    /// The configuration value at fault, so callers can report it by key path or by flag.
    public enum Source: Sendable, Equatable {
        case staticTokensFile
        case hmacSecretFile
        case publicKeyFile(index: Int)
        case jwksFile
        case algorithm(index: Int)
        case jwt
        case validators
    }

    /// The value at fault.
    public let source: Source
    /// What is wrong.
    public let message: String

    /// Creates an error about `source`.
    public init(_ source: Source, _ message: String) {
        self.source = source
        self.message = message
    }

    /// Key path of the value at fault below the `auth` object (e.g. `jwt.public_key_files[1]`); empty for
    /// the `auth` object itself.
    public var keyPath: String {
        switch source {
        case .staticTokensFile: "static_tokens_file"
        case .hmacSecretFile: "jwt.hs_secret_file"
        case .publicKeyFile(let index): "jwt.public_key_files[\(index)]"
        case .jwksFile: "jwt.jwks_file"
        case .algorithm(let index): "jwt.algorithms[\(index)]"
        case .jwt: "jwt"
        case .validators: ""
        }
    }

    /// "keyPath: message", or the message alone for the `auth` object itself.
    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}
