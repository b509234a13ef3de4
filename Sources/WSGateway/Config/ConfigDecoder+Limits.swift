import WSHTTP
import WSJSON

/// Decoding of the limit and edge keys: route policy limits, the top-level `limits` object and a
/// listener's edge keys (schema in docs/limits.md).
extension ConfigDecoder {
    static let limitPolicyKeys = [
        "max_message_size", "max_frame_size", "max_upstream_message_size", "max_upstream_frame_size",
        "max_connections", "max_connections_per_identity", "client_rate", "upstream_rate", "rate_limit_action",
        "allowed_origins",
    ]
    static let listenerEdgeKeys = ["max_connections", "proxy_protocol", "trusted_proxies", "real_ip_header"]
    static let globalLimitKeys = [
        "max_connections", "max_connections_per_ip", "ipv4_prefix", "ipv6_prefix",
        "new_connections_per_ip_per_second", "new_connections_burst",
    ]
    static let rateKeys = ["messages_per_second", "bytes_per_second", "burst_messages", "burst_bytes"]

    /// `base` with every limit key present in a policy object applied.
    func decodeRouteLimits(_ object: ConfigObject, over base: RouteLimits) throws(ConfigError) -> RouteLimits {
        var limits = base
        limits.maxMessageSize = try object.integer("max_message_size", in: RouteLimits.sizeRange) ?? limits.maxMessageSize
        limits.maxFrameSize = try object.integer("max_frame_size", in: RouteLimits.sizeRange) ?? limits.maxFrameSize
        limits.maxUpstreamMessageSize =
            try object.integer("max_upstream_message_size", in: RouteLimits.sizeRange) ?? limits.maxUpstreamMessageSize
        limits.maxUpstreamFrameSize =
            try object.integer("max_upstream_frame_size", in: RouteLimits.sizeRange) ?? limits.maxUpstreamFrameSize
        let counts = GlobalLimits.connectionCountRange
        limits.maxConnections = try object.integer("max_connections", in: counts) ?? limits.maxConnections
        limits.maxConnectionsPerIdentity =
            try object.integer("max_connections_per_identity", in: counts) ?? limits.maxConnectionsPerIdentity
        limits.clientRate = try decodeRate(object, "client_rate") ?? limits.clientRate
        limits.upstreamRate = try decodeRate(object, "upstream_rate") ?? limits.upstreamRate
        if let action = try object.string("rate_limit_action") {
            guard let parsed = RateLimitAction(rawValue: action) else {
                throw ConfigError(keyPath: object.path("rate_limit_action"), message: "must be \"throttle\" or \"close\"")
            }
            limits.rateLimitAction = parsed
        }
        if let origins = try object.array("allowed_origins") {
            let keyPath = object.path("allowed_origins")
            var patterns: [OriginPattern] = []
            for (index, item) in origins.enumerated() {
                let itemPath = ConfigObject.element(keyPath, index)
                do throws(ConfigError) {
                    patterns.append(try OriginPattern(parsing: try expectString(item, at: itemPath)))
                } catch {
                    throw error.located(at: itemPath)
                }
            }
            limits.allowedOrigins = OriginPolicy(patterns: patterns)
        }
        return limits
    }

    private func decodeRate(_ parent: ConfigObject, _ key: String) throws(ConfigError) -> RateLimit? {
        guard let value = parent.members[key] else { return nil }
        let object = try ConfigObject(value, at: parent.path(key), allowedKeys: Self.rateKeys)
        let rate = RateLimit(
            messagesPerSecond: try object.integer("messages_per_second", in: RateLimit.valueRange),
            bytesPerSecond: try object.integer("bytes_per_second", in: RateLimit.valueRange),
            burstMessages: try object.integer("burst_messages", in: RateLimit.valueRange),
            burstBytes: try object.integer("burst_bytes", in: RateLimit.valueRange))
        if rate.burstMessages != nil && rate.messagesPerSecond == nil {
            throw ConfigError(keyPath: object.path("burst_messages"), message: "needs messages_per_second")
        }
        if rate.burstBytes != nil && rate.bytesPerSecond == nil {
            throw ConfigError(keyPath: object.path("burst_bytes"), message: "needs bytes_per_second")
        }
        return rate
    }

    /// The top-level `limits` object; no limits when absent.
    func decodeGlobalLimits(_ root: ConfigObject) throws(ConfigError) -> GlobalLimits {
        guard let value = root.members["limits"] else { return .unlimited }
        let object = try ConfigObject(value, at: root.path("limits"), allowedKeys: Self.globalLimitKeys)
        var limits = GlobalLimits()
        let counts = GlobalLimits.connectionCountRange
        let rates = GlobalLimits.connectionRateRange
        limits.maxConnections = try object.integer("max_connections", in: counts) ?? 0
        limits.maxConnectionsPerIP = try object.integer("max_connections_per_ip", in: counts) ?? 0
        limits.ipv4Prefix = try object.integer("ipv4_prefix", in: 1...32) ?? 32
        limits.ipv6Prefix = try object.integer("ipv6_prefix", in: 1...128) ?? 128
        limits.newConnectionsPerIPPerSecond = try object.integer("new_connections_per_ip_per_second", in: rates) ?? 0
        limits.newConnectionsBurst = try object.integer("new_connections_burst", in: rates) ?? 0
        if limits.newConnectionsBurst > 0 && limits.newConnectionsPerIPPerSecond == 0 {
            throw ConfigError(
                keyPath: object.path("new_connections_burst"), message: "needs new_connections_per_ip_per_second")
        }
        return limits
    }

    /// A listener's edge keys.
    func decodeListenerEdge(_ object: ConfigObject) throws(ConfigError) -> ListenerEdgeSettings {
        var edge = ListenerEdgeSettings()
        edge.maxConnections = try object.integer("max_connections", in: GlobalLimits.connectionCountRange) ?? 0
        edge.proxyProtocol = try object.bool("proxy_protocol") ?? false
        if let cidrs = try object.array("trusted_proxies") {
            var texts: [String] = []
            for (index, item) in cidrs.enumerated() {
                texts.append(try expectString(item, at: ConfigObject.element(object.path("trusted_proxies"), index)))
            }
            do throws(ConfigError) {
                edge.trustedProxies = try TrustedProxies(cidrs: texts)
            } catch {
                throw error.located(at: object.path("trusted_proxies") + error.keyPath)
            }
        }
        if let header = try object.string("real_ip_header") {
            guard HTTPToken.isValid(header) else {
                throw ConfigError(keyPath: object.path("real_ip_header"), message: "must be an HTTP header name")
            }
            edge.realIPHeader = header
        }
        if edge.trustedProxies.isEmpty && (edge.proxyProtocol || edge.realIPHeader != nil) {
            throw ConfigError(
                keyPath: object.path("trusted_proxies"), message: "must list the proxies when proxy_protocol or real_ip_header is set")
        }
        return edge
    }
}
