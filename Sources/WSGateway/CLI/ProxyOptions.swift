/// Options of `wsgate proxy`.
public struct ProxyOptions: Sendable, Equatable {
    /// Address to accept clients on (`--from`).
    public var from: SocketAddressSpec
    /// Upstreams to forward connections to (`--to`, repeatable): a pool when more than one.
    public var upstreams: [UpstreamURL]
    /// How connections are spread over several upstreams (`--balance`); nil keeps round robin.
    public var balance: BalancePolicy?
    /// Active health checks of the upstreams (`--health-check`); nil runs none.
    public var healthCheck: HealthCheckConfig?
    /// CA certificates `wss://` upstreams must chain to (`--upstream-ca`); nil trusts the system's.
    public var upstreamCAFile: String?
    /// Certificate for TLS on the listener (`--tls-cert` and `--tls-key`), nil for plain TCP.
    public var tls: TLSCertificateSpec?
    /// Event-loop threads (`--workers`); nil means one per core.
    public var workers: Int?
    /// Only requests under this prefix are forwarded (`--path-prefix`, default `/`: everything).
    public var pathPrefix: String
    /// Largest message in bytes, both directions (`--max-message-size`, 0 = unlimited); nil keeps 1 MiB.
    public var maxMessageSize: Int?
    /// Milliseconds allowed for each opening handshake (`--handshake-timeout`); nil keeps the default.
    public var handshakeTimeout: Int?
    /// Most client connections at once (`--max-connections`, 0 = unlimited).
    public var maxConnections: Int?
    /// Most client connections at once from one IP address (`--max-connections-per-ip`, 0 = unlimited).
    public var maxConnectionsPerIP: Int?
    /// Authentication of the route (`--token-file`, `--jwt-*`), nil for none.
    public var auth: AuthConfig?
    /// permessage-deflate handling of the route (`--deflate`); nil keeps `off`.
    public var deflate: DeflateMode?
    /// Admin listener and log level (`--admin`, `--log-level`).
    public var operations = OperationsOptions()

    /// The first upstream; setting it makes it the only one.
    public var to: UpstreamURL {
        get { upstreams[0] }
        set { upstreams = [newValue] }
    }

    /// Creates proxy options.
    public init(from: SocketAddressSpec, to: UpstreamURL, tls: TLSCertificateSpec? = nil, workers: Int? = nil,
                pathPrefix: String = "/", auth: AuthConfig? = nil) {
        self.from = from
        self.upstreams = [to]
        self.tls = tls
        self.workers = workers
        self.pathPrefix = pathPrefix
        self.auth = auth
    }

    /// A configuration with one listener `proxy` and one route `proxy`, validated like a file; errors are
    /// located at the flag they came from.
    public func makeConfig() throws(ConfigError) -> GatewayConfig {
        let workers = workers ?? 0
        guard GatewayConfig.workersRange.contains(workers) else {
            throw ConfigError(keyPath: "--workers", message: "must be between 0 and \(GatewayConfig.workersRange.upperBound)")
        }
        try ConfigDecoder.validatePathPrefix(pathPrefix, at: "--path-prefix")
        if let tls {
            try ConfigFiles.requireReadableFile(tls.cert, at: "--tls-cert")
            try ConfigFiles.requireReadableFile(tls.key, at: "--tls-key")
        }
        try validateAuth()
        var policy = RoutePolicy.standard
        policy.auth = auth
        let listener = ListenerConfig(name: "proxy", address: from, tls: tls.map { [$0] })
        let route = RouteConfig(
            name: "proxy", listeners: [listener.name], host: nil, pathPrefix: pathPrefix, stripPrefix: false,
            pool: try makePool(), policy: policy)
        let config = try applyLimitFlags(to: GatewayConfig(workers: workers, listeners: [listener], routes: [route], builtinEcho: nil))
        if let admin = operations.admin, admin == from {
            throw ConfigError(keyPath: "--admin", message: "address already used by --from")
        }
        return operations.applied(to: config)
    }
}

/// Options of `wsgate echo`.
public struct EchoOptions: Sendable, Equatable {
    /// Address to accept clients on (`--listen`).
    public var listen: SocketAddressSpec
    /// Event-loop threads (`--workers`); nil means one per core.
    public var workers: Int?
    /// Certificate for TLS (`--tls-cert` and `--tls-key`), nil for plain TCP.
    public var tls: TLSCertificateSpec?
    /// Negotiate permessage-deflate with clients that offer it, inflating and compressing again each
    /// compressed message (`--deflate`).
    public var deflate: Bool

    /// Creates echo options.
    public init(listen: SocketAddressSpec, workers: Int? = nil, tls: TLSCertificateSpec? = nil, deflate: Bool = false) {
        self.listen = listen
        self.workers = workers
        self.tls = tls
        self.deflate = deflate
    }
}
