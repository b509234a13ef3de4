import WSHTTP

/// Why a client's upgrade request was refused: the status, a short reason and headers for the response.
public struct HandshakeRejection: Error, Sendable, CustomStringConvertible {
    /// HTTP status to answer with.
    public let status: Int
    /// Short human-readable cause, used as the response body.
    public let reason: String
    /// Extra response headers (e.g. `Allow`, `Sec-WebSocket-Version`).
    public let headers: [(String, String)]

    /// Creates a rejection.
    public init(status: Int, reason: String, headers: [(String, String)] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// "<status>: <reason>", for logs.
    public var description: String { "\(status): \(reason)" }

    /// The complete error response to send before closing.
    public var response: [UInt8] {
        HTTPResponseWriter.errorResponse(status: status, body: reason, headers: headers)
    }
}
