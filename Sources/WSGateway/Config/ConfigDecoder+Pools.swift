import WSJSON

/// Decoding of a route's upstream keys: `upstream` or `upstreams`, and the pool settings beside them
/// (schema in docs/pools.md).
extension ConfigDecoder {
    static let poolKeys = ["upstream", "upstreams", "balance", "health_check", "passive", "retries", "upstream_ca_file",
                           "drain_grace"]
    static let memberKeys = ["url", "weight"]
    static let healthCheckKeys = ["kind", "path", "interval", "timeout", "rise", "fall", "ping"]
    static let passiveKeys = ["eject_after", "backoff", "max_backoff"]

    func decodePool(_ route: ConfigObject, policy: RoutePolicy) throws(ConfigError) -> UpstreamPoolConfig {
        var pool = UpstreamPoolConfig(members: try decodeMembers(route))
        if let text = try route.string("balance") {
            do throws(ConfigError) {
                pool.balance = try BalancePolicy(parsing: text)
            } catch {
                throw error.located(at: route.path("balance"))
            }
            if case .hash(.identity) = pool.balance, policy.auth == nil {
                throw ConfigError(keyPath: route.path("balance"), message: "hash-identity needs auth on the route")
            }
        }
        pool.healthCheck = try decodeHealthCheck(route, members: pool.members)
        pool.passive = try decodePassive(route)
        pool.retries = try route.integer("retries", in: UpstreamPoolConfig.retriesRange) ?? pool.retries
        pool.drainGrace = try route.milliseconds("drain_grace", allowZero: true) ?? pool.drainGrace
        if let file = try route.string("upstream_ca_file") {
            guard pool.members.contains(where: { $0.url.secure }) else {
                throw ConfigError(keyPath: route.path("upstream_ca_file"), message: "only wss:// upstreams use a CA file")
            }
            let path = ConfigFiles.resolve(file, against: baseDirectory)
            try ConfigFiles.requireReadableFile(path, at: route.path("upstream_ca_file"))
            pool.caFile = path
        }
        return pool
    }

    /// `upstream` (one URL) or `upstreams` (URLs or `{url, weight}` objects): exactly one of them.
    private func decodeMembers(_ route: ConfigObject) throws(ConfigError) -> [PoolMemberConfig] {
        switch (route.members["upstream"], route.members["upstreams"]) {
        case (nil, nil): throw ConfigError(keyPath: route.path("upstream"), message: "missing required key (or \"upstreams\")")
        case (.some, .some): throw ConfigError(keyPath: route.path("upstreams"), message: "give either \"upstream\" or \"upstreams\", not both")
        case (.some, nil): return [PoolMemberConfig(url: try url(try route.requiredString("upstream"), at: route.path("upstream")))]
        case (nil, .some): break
        }
        let items = try route.nonEmptyArray("upstreams")
        let listPath = route.path("upstreams")
        guard items.count <= UpstreamPoolConfig.maximumMembers else {
            throw ConfigError(keyPath: listPath, message: "at most \(UpstreamPoolConfig.maximumMembers) upstreams")
        }
        var members: [PoolMemberConfig] = []
        for (index, item) in items.enumerated() {
            let itemPath = ConfigObject.element(listPath, index)
            let member: PoolMemberConfig
            if let text = item.stringValue {
                member = PoolMemberConfig(url: try url(text, at: itemPath))
            } else {
                let object = try ConfigObject(item, at: itemPath, allowedKeys: Self.memberKeys)
                member = PoolMemberConfig(url: try url(try object.requiredString("url"), at: object.path("url")),
                                          weight: try object.integer("weight", in: PoolMemberConfig.weightRange) ?? 1)
            }
            if members.contains(where: { $0.name == member.name }) {
                throw ConfigError(keyPath: itemPath, message: "upstream \(member.name) listed twice")
            }
            if let first = members.first, first.url.path != member.url.path {
                throw ConfigError(keyPath: itemPath, message: "every upstream of a route must have the same path (\(first.url.path))")
            }
            members.append(member)
        }
        return members
    }

    private func url(_ text: String, at keyPath: String) throws(ConfigError) -> UpstreamURL {
        do throws(ConfigError) {
            return try UpstreamURL(parsing: text)
        } catch {
            throw error.located(at: keyPath)
        }
    }

    private func decodeHealthCheck(_ route: ConfigObject, members: [PoolMemberConfig]) throws(ConfigError) -> HealthCheckConfig? {
        guard let value = route.members["health_check"] else { return nil }
        let object = try ConfigObject(value, at: route.path("health_check"), allowedKeys: Self.healthCheckKeys)
        let kindName = try object.requiredString("kind")
        guard let kind = HealthCheckConfig.Kind(rawValue: kindName) else {
            throw ConfigError(keyPath: object.path("kind"), message: "must be \"tcp\", \"http\" or \"ws\"")
        }
        var check = HealthCheckConfig(kind: kind)
        if let path = try object.string("path") {
            guard kind != .tcp else { throw ConfigError(keyPath: object.path("path"), message: "tcp checks send no request") }
            let query = path.utf8.drop { $0 != UInt8(ascii: "?") }
            guard RequestPath.isValid(String(path.prefix { $0 != "?" })),
                  query.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "#") }) else {
                throw ConfigError(keyPath: object.path("path"), message: "must be a path starting with \"/\" (a query may follow)")
            }
            check.path = path
        }
        check.interval = try object.milliseconds("interval", allowZero: false) ?? check.interval
        check.timeout = try object.milliseconds("timeout", allowZero: false) ?? check.timeout
        check.rise = try object.integer("rise", in: HealthCheckConfig.thresholdRange) ?? check.rise
        check.fall = try object.integer("fall", in: HealthCheckConfig.thresholdRange) ?? check.fall
        if let ping = try object.bool("ping") {
            guard kind == .ws || !ping else { throw ConfigError(keyPath: object.path("ping"), message: "only ws checks can ping") }
            check.ping = ping
        }
        return check
    }

    private func decodePassive(_ route: ConfigObject) throws(ConfigError) -> PassiveHealthConfig {
        guard let value = route.members["passive"] else { return .standard }
        let object = try ConfigObject(value, at: route.path("passive"), allowedKeys: Self.passiveKeys)
        var passive = PassiveHealthConfig.standard
        passive.ejectAfter = try object.integer("eject_after", in: PassiveHealthConfig.ejectAfterRange) ?? passive.ejectAfter
        passive.backoff = try object.milliseconds("backoff", allowZero: false) ?? passive.backoff
        passive.maxBackoff = try object.milliseconds("max_backoff", allowZero: false) ?? max(passive.maxBackoff, passive.backoff)
        guard passive.maxBackoff >= passive.backoff else {
            throw ConfigError(keyPath: object.path("max_backoff"), message: "must not be less than backoff")
        }
        return passive
    }
}
