/// How a listener treats what sits in front of it: its connection limit, the PROXY protocol and which
/// proxies' forwarding headers are believed.
public struct ListenerEdgeSettings: Sendable, Hashable {
    /// Most client connections open at once on this listener; 0 = unlimited.
    public var maxConnections: Int = 0
    /// Whether every connection starts with a PROXY protocol v1 or v2 header; such connections are only
    /// accepted from `trustedProxies`.
    public var proxyProtocol: Bool = false
    /// Proxies allowed to send a PROXY header or `realIPHeader`.
    public var trustedProxies: TrustedProxies = .none
    /// Header (e.g. `X-Forwarded-For`) naming the client when the peer is a trusted proxy; nil = none.
    public var realIPHeader: String?

    /// No limit, no proxies.
    public init() {}

    /// No limit, no proxies: a listener that faces clients directly.
    public static let standard = ListenerEdgeSettings()
}
