/// A WebSocket close status code (RFC 6455 §7.4, IANA registry).
public struct CloseCode: RawRepresentable, Sendable, Hashable {
    /// The code as sent on the wire.
    public var rawValue: UInt16

    /// Wraps a raw code.
    @inlinable
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection is fulfilled.
    public static let normal = CloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    public static let goingAway = CloseCode(rawValue: 1001)
    /// 1002: protocol error.
    public static let protocolError = CloseCode(rawValue: 1002)
    /// 1003: a data type the endpoint cannot accept.
    public static let unsupportedData = CloseCode(rawValue: 1003)
    /// 1005: no status code was present (never sent on the wire).
    public static let noStatusReceived = CloseCode(rawValue: 1005)
    /// 1006: the connection closed without a close frame (never sent on the wire).
    public static let abnormalClosure = CloseCode(rawValue: 1006)
    /// 1007: message data inconsistent with its type, e.g. invalid UTF-8 in text.
    public static let invalidPayload = CloseCode(rawValue: 1007)
    /// 1008: a policy was violated.
    public static let policyViolation = CloseCode(rawValue: 1008)
    /// 1009: a message too big to process.
    public static let messageTooBig = CloseCode(rawValue: 1009)
    /// 1010: the client expected the server to negotiate an extension.
    public static let mandatoryExtension = CloseCode(rawValue: 1010)
    /// 1011: an unexpected condition on the server.
    public static let internalError = CloseCode(rawValue: 1011)
    /// 1012: the service is restarting.
    public static let serviceRestart = CloseCode(rawValue: 1012)
    /// 1013: try again later (temporary overload).
    public static let tryAgainLater = CloseCode(rawValue: 1013)
    /// 1014: the gateway got an invalid response from the upstream.
    public static let badGateway = CloseCode(rawValue: 1014)

    /// Whether `code` may appear in a close frame: the defined 1000–1003 and 1007–1014, or 3000–4999.
    @inlinable
    public static func isValidOnWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}
