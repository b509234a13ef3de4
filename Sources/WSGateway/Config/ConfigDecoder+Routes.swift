import WSJSON

extension ConfigDecoder {
    static let routeKeys = ["name", "listeners", "host", "path_prefix", "strip_prefix"] + poolKeys + policyKeys

    func decodeRoutes(
        _ root: ConfigObject, listeners: [ListenerConfig], defaults: RoutePolicy
    ) throws(ConfigError) -> [RouteConfig] {
        var routes: [RouteConfig] = []
        for (index, item) in try root.nonEmptyArray("routes").enumerated() {
            let keyPath = ConfigObject.element(root.path("routes"), index)
            let route = try decodeRoute(item, at: keyPath, listeners: listeners, defaults: defaults)
            if routes.contains(where: { $0.name == route.name }) {
                throw ConfigError(keyPath: "\(keyPath).name", message: "duplicate route name \"\(route.name)\"")
            }
            routes.append(route)
        }
        return routes
    }

    private func decodeRoute(
        _ value: JSONValue, at keyPath: String, listeners: [ListenerConfig], defaults: RoutePolicy
    ) throws(ConfigError) -> RouteConfig {
        let object = try ConfigObject(value, at: keyPath, allowedKeys: Self.routeKeys)
        let name = try object.requiredString("name")
        try Self.validateName(name, at: object.path("name"))
        let host = try object.string("host").map { text throws(ConfigError) in
            do throws(ConfigError) {
                return try HostPattern(parsing: text)
            } catch {
                throw error.located(at: object.path("host"))
            }
        }
        let pathPrefix = try object.string("path_prefix") ?? "/"
        try Self.validatePathPrefix(pathPrefix, at: object.path("path_prefix"))
        let policy = try decodePolicy(object, over: defaults)
        return RouteConfig(
            name: name,
            listeners: try decodeRouteListeners(object, known: listeners),
            host: host,
            pathPrefix: pathPrefix,
            stripPrefix: try object.bool("strip_prefix") ?? false,
            pool: try decodePool(object, policy: policy),
            policy: policy)
    }

    private func decodeRouteListeners(
        _ object: ConfigObject, known: [ListenerConfig]
    ) throws(ConfigError) -> [String] {
        guard object.members["listeners"] != nil else { return known.map(\.name) }
        var names: [String] = []
        for (index, item) in try object.nonEmptyArray("listeners").enumerated() {
            let itemPath = ConfigObject.element(object.path("listeners"), index)
            let name = try expectString(item, at: itemPath)
            guard known.contains(where: { $0.name == name }) else {
                throw ConfigError(keyPath: itemPath, message: "unknown listener \"\(name)\"")
            }
            guard !names.contains(name) else {
                throw ConfigError(keyPath: itemPath, message: "listener \"\(name)\" listed twice")
            }
            names.append(name)
        }
        return names
    }

    /// A path prefix must be a valid absolute path (no query or fragment).
    static func validatePathPrefix(_ prefix: String, at keyPath: String) throws(ConfigError) {
        guard prefix.hasPrefix("/") else { throw ConfigError(keyPath: keyPath, message: "must start with \"/\"") }
        guard RequestPath.isValid(prefix) else {
            throw ConfigError(keyPath: keyPath, message: "has characters that are not allowed in a path")
        }
    }
}
