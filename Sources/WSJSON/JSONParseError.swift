/// Why a JSON document was rejected, and where.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    /// Byte offset into the input at which the problem was found.
    public let offset: Int
    /// What was wrong.
    public let message: String

    /// Creates an error at `offset`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// "message at byte N".
    public var description: String { "\(message) at byte \(offset)" }
}
