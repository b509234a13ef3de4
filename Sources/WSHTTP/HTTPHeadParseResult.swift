/// Outcome of feeding bytes to an incremental head parser.
public enum HTTPHeadParseResult<Head: Sendable>: Sendable {
    /// More bytes are needed.
    case incomplete
    /// The head is complete; bytes from `headLength` on belong to whatever follows the head.
    case complete(Head, headLength: Int)
}

extension HTTPHeadParseResult: Equatable where Head: Equatable {}
