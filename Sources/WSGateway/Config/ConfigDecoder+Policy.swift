import WSJSON
import WSProtocol

extension ConfigDecoder {
    /// Duration keys with the policy field each sets and whether 0 (disabled) is allowed.
    static let durationKeys: [(key: String, field: WritableKeyPath<RoutePolicy, Int> & Sendable, allowZero: Bool)] = [
        ("connect_timeout", \.connectTimeout, false),
        ("handshake_timeout", \.handshakeTimeout, false),
        ("idle_timeout", \.idleTimeout, true),
        ("ping_interval", \.pingInterval, true),
        ("pong_timeout", \.pongTimeout, true),
        ("close_timeout", \.closeTimeout, false),
    ]

    /// Every key of `defaults`, and of a route besides its own.
    static let policyKeys = durationKeys.map(\.key) + ["buffer_size", "remask", "auth", "deflate", "deflate_level"] + limitPolicyKeys

    func decodeDefaults(_ root: ConfigObject) throws(ConfigError) -> RoutePolicy {
        guard let value = root.members["defaults"] else { return .standard }
        let object = try ConfigObject(value, at: root.path("defaults"), allowedKeys: Self.policyKeys)
        return try decodePolicy(object, over: .standard)
    }

    /// `base` with every policy key present in `object` applied, then checked as a whole.
    func decodePolicy(_ object: ConfigObject, over base: RoutePolicy) throws(ConfigError) -> RoutePolicy {
        var policy = base
        for entry in Self.durationKeys {
            if let milliseconds = try object.milliseconds(entry.key, allowZero: entry.allowZero) {
                policy[keyPath: entry.field] = milliseconds
            }
        }
        policy.bufferSize = try object.integer("buffer_size", in: RoutePolicy.bufferSizeRange) ?? policy.bufferSize
        policy.remask = try object.bool("remask") ?? policy.remask
        policy.deflate = try decodeDeflateMode(object) ?? policy.deflate
        policy.deflateLevel = try object.integer("deflate_level", in: Deflater.levels) ?? policy.deflateLevel
        policy.limits = try decodeRouteLimits(object, over: policy.limits)
        policy.auth = try decodeAuth(in: object, inheriting: policy.auth)
        if policy.pingInterval > 0 && policy.pongTimeout == 0 {
            throw ConfigError(
                keyPath: object.path("pong_timeout"), message: "must be greater than 0 while ping_interval is set")
        }
        return policy
    }

    /// `deflate`: a mode name, or a boolean: `true` turns compression on in its default mode (terminate),
    /// `false` is `off`.
    private func decodeDeflateMode(_ object: ConfigObject) throws(ConfigError) -> DeflateMode? {
        guard let value = object.members["deflate"] else { return nil }
        if let enabled = value.boolValue { return enabled ? DeflateMode.enabledDefault : .off }
        guard let text = value.stringValue else {
            throw wrongType(value, expected: "a boolean or a string", at: object.path("deflate"))
        }
        guard let mode = DeflateMode(parsing: text) else {
            throw ConfigError(keyPath: object.path("deflate"), message: "must be true, false or one of \(DeflateMode.choices)")
        }
        return mode
    }
}
