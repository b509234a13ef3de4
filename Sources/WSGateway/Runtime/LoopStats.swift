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
    public var authRejections: UInt64 = 0
    /// Upstream connects postponed because the gateway was out of descriptors.
    public var descriptorWaits: UInt64 = 0
    public var originRejections: UInt64 = 0
    public var messagesTooBig: UInt64 = 0
    public var rateLimitPauses: UInt64 = 0
    public var rateLimitCloses: UInt64 = 0
    /// Connections refused by a connection limit, by `LimitKind` (global, listener, route, ip,
    /// identity) and, last, by the new-connections-per-IP rate.
    public var limitRejections = [UInt64](repeating: 0, count: LimitKind.allCases.count + 1)
    public var messagesFromClients: UInt64 = 0
    public var messagesFromUpstreams: UInt64 = 0
    public var bytesFromClients: UInt64 = 0
    public var bytesFromUpstreams: UInt64 = 0
    /// Close frames the gateway itself sent to clients, by code (1000–1015 and "other").
    public var closeCodesSent = [UInt64](repeating: 0, count: 17)
    /// Codes of the close frames clients and upstreams sent, counted when a relayed connection ends;
    /// key 0 counts connections whose side sent no close frame with a code.
    public var clientCloseCodes: [UInt16: UInt64] = [:]
    public var upstreamCloseCodes: [UInt16: UInt64] = [:]
    /// HTTP statuses the gateway answered handshakes with instead of 101, counted when the connection ends.
    public var rejectionsByStatus: [Int: UInt64] = [:]
    /// Accept → both 101s, once per relayed connection.
    public var handshakeDurations = HandshakeHistogram()
    /// Per route name (names outlive a reload; indexes do not), in one table so that a connection's
    /// upgrade hashes the name once.
    public var routes: [String: RouteCounters] = [:]

    public init() {}

    mutating func recordLimitRejection(_ kind: LimitKind?) {
        let index = kind.flatMap { LimitKind.allCases.firstIndex(of: $0) } ?? LimitKind.allCases.count
        limitRejections[index] &+= 1
    }

    mutating func recordCloseSent(_ code: UInt16) {
        let index = code >= 1000 && code <= 1015 ? Int(code - 1000) : 16
        closeCodesSent[index] &+= 1
    }
}

/// What one loop counts for one route.
public struct RouteCounters: Sendable {
    /// Connections upgraded.
    public var opened: UInt64 = 0
    /// Connections relaying now.
    public var live = 0
    /// Whether the route's last upstream attempt on this loop succeeded, and when.
    public var lastUpstreamAttempt: UpstreamAttempt?

    public init() {}

    /// A connection of the route upgraded: its upstream attempt succeeded at `now`.
    mutating func countOpened(atMilliseconds now: UInt64) {
        opened &+= 1
        live += 1
        lastUpstreamAttempt = UpstreamAttempt(succeeded: true, atMilliseconds: now)
    }
}
