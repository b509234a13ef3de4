import Glibc
import WSIO
import WSTLS

/// Turns a validated configuration into the immutable runtime the loops serve from: addresses
/// resolved, certificates loaded, routes compiled.
public enum RuntimeBuilder {
    /// With `previous` (a reload), connection counts carry over when every limit and the order of
    /// listeners and routes are unchanged; otherwise the new limits count only new connections. Pool
    /// members whose route, URL and address are unchanged keep their health and drain state.
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
                    tls = try TLSServerContext(
                        certificates: certificates.map {
                            TLSCertificateConfig(certificateChainPath: $0.cert, privateKeyPath: $0.key, serverNames: $0.serverNames)
                        },
                        sessionTickets: spec.tlsSessionTickets)
                } catch {
                    throw GatewayError.tls(listener: spec.name, error.description)
                }
            }
            listeners.append(ListenerRuntime(name: spec.name, index: index, address: address, tls: tls, edge: spec.edge))
        }
        var routes: [RouteRuntime] = []
        for route in config.routes {
            let pool = try buildPool(route, previous: previous?.routes.first { $0.name == route.name }?.pool)
            var authenticator: Authenticator?
            if let auth = route.policy.auth {
                do {
                    authenticator = try Authenticator(config: auth)
                } catch {
                    throw GatewayError.config("route \(route.name): auth: \(error.description)")
                }
            }
            routes.append(RouteRuntime(name: route.name, pool: pool, policy: route.policy, authenticator: authenticator))
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

    /// Resolves every member and loads the CA for `wss://` members; unchanged members of `previous` keep
    /// their health.
    private static func buildPool(_ route: RouteConfig, previous: UpstreamPool?) throws(GatewayError) -> UpstreamPool {
        var addresses: [SocketAddress] = []
        for member in route.pool.members { addresses.append(try resolve(member.url, route: route.name)) }
        var tls: TLSClientContext?
        if route.pool.members.contains(where: { $0.url.secure }) {
            do {
                tls = try TLSClientContext(caFile: route.pool.caFile)
            } catch {
                throw GatewayError.upstream(route: route.name, "TLS: \(error.description)")
            }
        }
        return UpstreamPool(route: route.name, config: route.pool, addresses: addresses, tls: tls, previous: previous)
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
