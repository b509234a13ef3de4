/// A configuration problem, located by the key path of the offending value (e.g. `routes[1].upstream`).
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// Where the problem is: dotted keys and `[index]` steps from the document root; empty for the whole file.
    public let keyPath: String
    /// What is wrong.
    public let message: String

    /// Creates an error for the value at `keyPath`.
    public init(keyPath: String, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// The same problem reported at `keyPath`, for value parsers that do not know where their text came from.
    public func located(at keyPath: String) -> ConfigError {
        ConfigError(keyPath: keyPath, message: message)
    }

    /// "keyPath: message", or the message alone for whole-file problems.
    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}
