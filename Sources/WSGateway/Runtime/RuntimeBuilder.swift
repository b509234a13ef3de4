import Glibc
import WSIO
import WSTLS

/// Turns a validated configuration into the immutable runtime the loops serve from: addresses
/// resolved, certificates loaded, routes compiled.
public enum RuntimeBuilder {
    /// With `previous` (a reload), connection counts carry over when every limit and the order of
    /// listeners and routes are unchanged; otherwise the new limits count only new connections.
    public static func build(_ config: GatewayConfig, previous: GatewayRuntime? = nil) throws(GatewayError) -> GatewayRuntime {
        var settings = GatewaySettings()
        settings.workers = config.workers == 0 ? EventLoopGroup.coreCount : config.workers
        // Before a request is routed, the most generous route's limits apply.
        settings.handshakeTimeout = UInt64(config.routes.map(\.policy.handshakeTimeout).max() ?? 10_000)
        settings.closeTimeout = UInt64(config.routes.map(\.policy.closeTimeout).max() ?? 5_000)
        var listeners: [ListenerRuntime] = []
        for (index, spec) in config.listeners.enumerated() {
            guard let address = SocketAddress(host: spec.address.host, port: spec.address.port) else {
                throw GatewayError.listen(listener: spec.name, address: spec.address.description, "not a numeric address")
            }
            var tls: TLSServerContext?
            if let certificates = spec.tls {
                do {
                    tls = try TLSServerContext(certificates: certificates.map {
                        TLSCertificateConfig(certificateChainPath: $0.cert, privateKeyPath: $0.key, serverNames: $0.serverNames)
                    })
                } catch {
                    throw GatewayError.tls(listener: spec.name, error.description)
                }
            }
            listeners.append(ListenerRuntime(name: spec.name, index: index, address: address, tls: tls, edge: spec.edge))
        }
        var routes: [RouteRuntime] = []
        for route in config.routes {
            guard !route.upstream.secure else {
                throw GatewayError.upstream(route: route.name, "\(route.upstream): wss:// upstreams are not supported yet; use ws://")
            }
            let address = try resolve(route.upstream, route: route.name)
            var authenticator: Authenticator?
            if let auth = route.policy.auth {
                do {
                    authenticator = try Authenticator(config: auth)
                } catch {
                    throw GatewayError.config("route \(route.name): auth: \(error.description)")
                }
            }
            routes.append(RouteRuntime(name: route.name, upstreamAddress: address,
                                       upstreamAuthority: route.upstream.authority, policy: route.policy,
                                       authenticator: authenticator))
        }
        let limits = previous.flatMap { sameLimits($0.config, config) ? $0.limits : nil } ?? ConnectionLimits(config: config)
        let slots = previous.flatMap { $0.compressionSlots.limit == config.maxCompressedConnections ? $0.compressionSlots : nil }
        return GatewayRuntime(settings: settings, listeners: listeners, routes: routes,
                              router: Router(routes: config.routes), limits: limits, config: config, compressionSlots: slots)
    }

    private static func sameLimits(_ a: GatewayConfig, _ b: GatewayConfig) -> Bool {
        a.limits == b.limits
            && a.listeners.map { [$0.name, String($0.edge.maxConnections)] } == b.listeners.map { [$0.name, String($0.edge.maxConnections)] }
            && a.routes.map { [$0.name, String($0.policy.limits.maxConnections), String($0.policy.limits.maxConnectionsPerIdentity)] }
                == b.routes.map { [$0.name, String($0.policy.limits.maxConnections), String($0.policy.limits.maxConnectionsPerIdentity)] }
    }

    /// Resolves an upstream host once, at load time (as nginx does for static upstreams).
    static func resolve(_ upstream: UpstreamURL, route: String) throws(GatewayError) -> SocketAddress {
        if let literal = SocketAddress(host: upstream.host, port: upstream.port) { return literal }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(upstream.host, String(upstream.port), &hints, &result)
        guard rc == 0, let first = result else {
            throw GatewayError.upstream(route: route, "\(upstream.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(result) }
        var address = SocketAddress()
        withUnsafeMutableBytes(of: &address.storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        address.length = first.pointee.ai_addrlen
        return address
    }
}
