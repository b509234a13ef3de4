import WSIO
import WSTLS

/// Everything the loops read while serving, built once from a validated config and never mutated:
/// loops share it without locks (a reload builds a new one).
public final class GatewayRuntime: Sendable {
    public let settings: GatewaySettings
    public let listeners: [ListenerRuntime]
    public let routes: [RouteRuntime]
    public let router: Router
    /// Connection counts shared by every loop (atomics and sharded tables).
    public let limits: ConnectionLimits
    /// The configuration this runtime was built from (a reload compares against it).
    public let config: GatewayConfig
    /// Connections with permessage-deflate negotiated, gateway-wide (kept across reloads of the same limit).
    public let compressionSlots: CompressionSlots

    public init(settings: GatewaySettings, listeners: [ListenerRuntime], routes: [RouteRuntime], router: Router,
                limits: ConnectionLimits, config: GatewayConfig, compressionSlots: CompressionSlots? = nil) {
        self.config = config
        self.compressionSlots = compressionSlots ?? CompressionSlots(limit: config.maxCompressedConnections)
        self.settings = settings
        self.listeners = listeners
        self.routes = routes
        self.router = router
        self.limits = limits
    }
}

/// Gateway-wide settings that apply before a route is known.
public struct GatewaySettings: Sendable {
    public var workers: Int = 0
    public var handshakeTimeout: UInt64 = 10_000
    public var closeTimeout: UInt64 = 5_000

    public init() {}
}

/// A listener's address and TLS context, shared by the listening socket each loop opens for it.
public final class ListenerRuntime: Sendable {
    public let name: String
    /// Position in the configuration, which is how `ConnectionLimits` counts per listener.
    public let index: Int
    public let address: SocketAddress
    public let tls: TLSServerContext?
    public let edge: ListenerEdgeSettings

    public init(name: String, index: Int, address: SocketAddress, tls: TLSServerContext?, edge: ListenerEdgeSettings = .standard) {
        self.name = name
        self.index = index
        self.address = address
        self.tls = tls
        self.edge = edge
    }
}
