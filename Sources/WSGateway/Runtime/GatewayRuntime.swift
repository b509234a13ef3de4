import WSIO
import WSTLS

/// Everything the loops read while serving, built once from a validated config and never mutated:
/// loops share it without locks (a reload builds a new one).
public final class GatewayRuntime: Sendable {
    public let settings: GatewaySettings
    public let listeners: [ListenerRuntime]
    public let routes: [RouteRuntime]
    public let router: Router

    public init(settings: GatewaySettings, listeners: [ListenerRuntime], routes: [RouteRuntime], router: Router) {
        self.settings = settings
        self.listeners = listeners
        self.routes = routes
        self.router = router
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
public struct ListenerRuntime: Sendable {
    public var name: String
    public var address: SocketAddress
    public var tls: TLSServerContext?

    public init(name: String, address: SocketAddress, tls: TLSServerContext?) {
        self.name = name
        self.address = address
        self.tls = tls
    }
}
