/// The limit flags of `wsgate proxy`.
extension ProxyOptions {
    static let limitFlags: [FlagSpec] = [
        .value("--max-message-size"), .value("--handshake-timeout"), .value("--max-connections"),
        .value("--max-connections-per-ip"), .value("--deflate"),
    ]

    /// Reads the limit flags given on the command line.
    mutating func readLimitFlags(_ flags: ScannedFlags) throws(CLIError) {
        maxMessageSize = try flags.integer("--max-message-size", in: RouteLimits.sizeRange)
        handshakeTimeout = try flags.milliseconds("--handshake-timeout", allowZero: false)
        maxConnections = try flags.integer("--max-connections", in: GlobalLimits.connectionCountRange)
        maxConnectionsPerIP = try flags.integer("--max-connections-per-ip", in: GlobalLimits.connectionCountRange)
        if let text = flags.value("--deflate") {
            guard let mode = DeflateMode(parsing: text) else {
                throw flags.error("--deflate must be off, pass-through or terminate, got \"\(text)\"")
            }
            deflate = mode
        }
    }

    /// `config` with the limit options applied to its one route and its global limits; values out of range
    /// are errors located at their flag.
    func applyLimitFlags(to config: GatewayConfig) throws(ConfigError) -> GatewayConfig {
        var config = config
        let counts = GlobalLimits.connectionCountRange
        if let maxMessageSize {
            try Self.check(maxMessageSize, in: RouteLimits.sizeRange, flag: "--max-message-size")
            config.routes[0].policy.limits.maxMessageSize = maxMessageSize
            config.routes[0].policy.limits.maxUpstreamMessageSize = maxMessageSize
        }
        if let handshakeTimeout {
            guard handshakeTimeout > 0 else {
                throw ConfigError(keyPath: "--handshake-timeout", message: "must be at least 0.001 seconds")
            }
            config.routes[0].policy.handshakeTimeout = handshakeTimeout
        }
        if let deflate { config.routes[0].policy.deflate = deflate }
        if let maxConnections {
            try Self.check(maxConnections, in: counts, flag: "--max-connections")
            config.limits.maxConnections = maxConnections
        }
        if let maxConnectionsPerIP {
            try Self.check(maxConnectionsPerIP, in: counts, flag: "--max-connections-per-ip")
            config.limits.maxConnectionsPerIP = maxConnectionsPerIP
        }
        return config
    }

    private static func check(_ value: Int, in range: ClosedRange<Int>, flag: String) throws(ConfigError) {
        guard range.contains(value) else {
            throw ConfigError(keyPath: flag, message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }
}
