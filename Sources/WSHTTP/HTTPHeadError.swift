/// Why an HTTP head was refused, with the status a server should answer with.
public struct HTTPHeadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code describing the failure (400, 414, 431, 505).
    public let status: Int
    /// Short human-readable cause, e.g. "bare LF in head".
    public let reason: String

    /// Creates an error with a status and a reason.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// "<status>: <reason>", for logs.
    public var description: String { "\(status): \(reason)" }

    static func badRequest(_ reason: String) -> HTTPHeadError {
        HTTPHeadError(status: 400, reason: reason)
    }
}
