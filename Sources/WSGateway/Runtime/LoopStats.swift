/// Counters of one event loop. Written only by that loop; read for metrics by loop tasks.
public struct LoopStats: Sendable {
    public var accepted: UInt64 = 0
    public var opened: UInt64 = 0
    public var finished: UInt64 = 0
    public var rejected: UInt64 = 0
    public var upstreamFailures: UInt64 = 0
    public var tlsHandshakeFailures: UInt64 = 0
    public var handshakeTimeouts: UInt64 = 0
    public var protocolErrors: UInt64 = 0
    public var keepaliveTimeouts: UInt64 = 0
    public var idleTimeouts: UInt64 = 0
    public var pingsSent: UInt64 = 0
    public var messagesFromClients: UInt64 = 0
    public var messagesFromUpstreams: UInt64 = 0
    public var bytesFromClients: UInt64 = 0
    public var bytesFromUpstreams: UInt64 = 0
    /// Close frames the gateway itself sent to clients, by code (1000–1015 and "other").
    public var closeCodesSent = [UInt64](repeating: 0, count: 17)

    public init() {}

    mutating func recordCloseSent(_ code: UInt16) {
        let index = code >= 1000 && code <= 1015 ? Int(code - 1000) : 16
        closeCodesSent[index] &+= 1
    }
}
