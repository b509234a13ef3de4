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
        // By index: binding each route to a variable would copy the whole configuration, a retain and a
        // release for each of its strings and arrays, for every route passed over.
        for index in routes.indices {
            guard routes[index].listeners.contains(listener), PathPrefix.matches(routes[index].pathPrefix, path: path)
            else { continue }
            if let pattern = routes[index].host {
                guard let normalizedHost, pattern.matches(normalizedHost: normalizedHost) else { continue }
            }
            let prefix = routes[index].pathPrefix
            let forwarded = routes[index].stripPrefix ? PathPrefix.strip(prefix, from: path) : path
            let upstreamPath = PathPrefix.join(routes[index].upstream.path, forwarded)
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
