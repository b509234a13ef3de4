/// Picks the route for an incoming WebSocket request: the first route, in configuration order, that applies
/// to the listener and whose host pattern and path prefix match.
public struct Router: Sendable {
    /// The routes, in match order.
    public let routes: [RouteConfig]

    /// Creates a router over validated routes.
    public init(routes: [RouteConfig]) {
        self.routes = routes
    }

    /// The first route matching a request that arrived on `listener` with `Host` header `host` (nil when
    /// absent) and request target `path` (origin form, optionally with `?query`); nil when none matches.
    public func match(listener: String, host: String?, path target: String) -> RouteMatch? {
        let (path, query) = PathPrefix.splitQuery(target)
        // Normalised only when a route has a host pattern to compare it with.
        lazy var normalizedHost = host.map { HostName.normalize($0) }
        for (index, route) in routes.enumerated() {
            guard route.listeners.contains(listener), PathPrefix.matches(route.pathPrefix, path: path) else { continue }
            if let pattern = route.host {
                guard let normalizedHost, pattern.matches(normalizedHost: normalizedHost) else { continue }
            }
            let forwarded = route.stripPrefix ? PathPrefix.strip(route.pathPrefix, from: path) : path
            let upstreamPath = PathPrefix.join(route.upstream.path, forwarded)
            return RouteMatch(routeIndex: index, upstreamTarget: query.map { "\(upstreamPath)?\($0)" } ?? upstreamPath)
        }
        return nil
    }
}

/// The outcome of routing one request.
public struct RouteMatch: Sendable, Hashable {
    /// Index of the matched route in `Router.routes`.
    public let routeIndex: Int
    /// Request target to send upstream: the upstream path joined with the (possibly stripped) client path,
    /// followed by the client's query unchanged.
    public let upstreamTarget: String

    /// Creates a match.
    public init(routeIndex: Int, upstreamTarget: String) {
        self.routeIndex = routeIndex
        self.upstreamTarget = upstreamTarget
    }
}
