import WSIO
import WSTLS

/// A whole validated gateway configuration.
public struct GatewayConfig: Sendable, Hashable {
    /// Event-loop threads; 0 means one per CPU core.
    public var workers: Int
    /// Sockets to accept clients on; at least one, names unique.
    public var listeners: [ListenerConfig]
    /// Routes in match order (first match wins); at least one.
    public var routes: [RouteConfig]
    /// Where to run the built-in echo backend, if anywhere.
    public var builtinEcho: SocketAddressSpec?
    /// Milliseconds a connection whose route a reload removed may go on before close 1001; 0 = until it ends.
    public var reloadGrace: Int = 30_000
    /// Gateway-wide connection limits (the `limits` object).
    public var limits: GlobalLimits = .unlimited
    /// The admin HTTP listener (`admin`); nil runs none.
    public var admin: AdminConfig?
    /// Least severe log level written (`log_level`); nil keeps `info`.
    public var logLevel: Log.Level?
    /// Most connections with permessage-deflate negotiated at once, gateway-wide; 0 = unlimited. Beyond it
    /// the extension is simply not negotiated (`max_compressed_connections`).
    public var maxCompressedConnections = 0

    /// Creates a configuration without validating it.
    public init(workers: Int, listeners: [ListenerConfig], routes: [RouteConfig], builtinEcho: SocketAddressSpec?) {
        self.workers = workers
        self.listeners = listeners
        self.routes = routes
        self.builtinEcho = builtinEcho
    }

    /// Accepted range of `workers`.
    public static let workersRange = 0...256
}

/// One listening socket.
public struct ListenerConfig: Sendable, Hashable {
    /// Unique name routes refer to.
    public var name: String
    /// Address and port to bind.
    public var address: SocketAddressSpec
    /// Certificates to serve when this listener speaks TLS; nil for plain TCP.
    public var tls: [TLSCertificateSpec]?
    /// TLS 1.3 session tickets sent after each full handshake (`tls.session_tickets`).
    public var tlsSessionTickets = TLSServerContext.defaultSessionTickets
    /// Connection limit, PROXY protocol and trusted proxies.
    public var edge: ListenerEdgeSettings = .standard

    /// Creates a listener description.
    public init(name: String, address: SocketAddressSpec, tls: [TLSCertificateSpec]?) {
        self.name = name
        self.address = address
        self.tls = tls
    }
}

/// One certificate chain and key, selected by SNI.
public struct TLSCertificateSpec: Sendable, Hashable {
    /// Path of the PEM certificate chain, already resolved against the config file's directory.
    public var cert: String
    /// Path of the PEM private key, already resolved against the config file's directory.
    public var key: String
    /// Lower-cased SNI names (exact or `*.suffix`) this certificate serves; empty for the default certificate.
    public var serverNames: [String]

    /// Creates a certificate description.
    public init(cert: String, key: String, serverNames: [String]) {
        self.cert = cert
        self.key = key
        self.serverNames = serverNames
    }
}

/// One route: which requests it takes and where it sends them.
public struct RouteConfig: Sendable, Hashable {
    /// Unique name for logs and metrics.
    public var name: String
    /// Names of the listeners this route applies to (all listeners when the file omits the key).
    public var listeners: [String]
    /// Required request host; nil accepts any host.
    public var host: HostPattern?
    /// Path prefix, starting with `/`; see `Router` for segment-boundary matching.
    public var pathPrefix: String
    /// Whether the prefix is removed from the path sent upstream.
    public var stripPrefix: Bool
    /// Where matching connections are forwarded: one upstream or several, with balancing and health.
    public var pool: UpstreamPoolConfig
    /// Timeouts and buffers, `defaults` merged with the route's own keys.
    public var policy: RoutePolicy

    /// The first upstream (every member has its path); setting it makes the route a pool of one.
    public var upstream: UpstreamURL {
        get { pool.members[0].url }
        set { pool = .single(newValue) }
    }

    /// Creates a route description forwarding to one upstream.
    public init(
        name: String, listeners: [String], host: HostPattern?, pathPrefix: String, stripPrefix: Bool,
        upstream: UpstreamURL, policy: RoutePolicy
    ) {
        self.init(name: name, listeners: listeners, host: host, pathPrefix: pathPrefix, stripPrefix: stripPrefix,
                  pool: .single(upstream), policy: policy)
    }

    /// Creates a route description forwarding to a pool.
    public init(
        name: String, listeners: [String], host: HostPattern?, pathPrefix: String, stripPrefix: Bool,
        pool: UpstreamPoolConfig, policy: RoutePolicy
    ) {
        self.name = name
        self.listeners = listeners
        self.host = host
        self.pathPrefix = pathPrefix
        self.stripPrefix = stripPrefix
        self.pool = pool
        self.policy = policy
    }
}
