import WSJSON

/// Turns a parsed configuration document into a validated `GatewayConfig`, following the schema in
/// docs/configuration.md. Every error carries the key path of the value at fault.
struct ConfigDecoder {
    /// Directory that relative certificate paths are resolved against.
    let baseDirectory: String

    static let topLevelKeys = ["workers", "listeners", "defaults", "routes", "builtin_echo", "limits", "reload_grace",
                               "admin", "log_level", "max_compressed_connections"]

    func decode(_ document: JSONValue) throws(ConfigError) -> GatewayConfig {
        let root = try ConfigObject(document, at: "", allowedKeys: Self.topLevelKeys)
        let workers = try root.integer("workers", in: GatewayConfig.workersRange) ?? 0
        let listeners = try decodeListeners(root)
        let defaults = try decodeDefaults(root)
        let routes = try decodeRoutes(root, listeners: listeners, defaults: defaults)
        let builtinEcho = try root.string("builtin_echo").map { text throws(ConfigError) in
            try decodeAddress(text, at: root.path("builtin_echo"))
        }
        if let builtinEcho, let clash = listeners.first(where: { $0.address == builtinEcho }) {
            throw ConfigError(
                keyPath: root.path("builtin_echo"), message: "address already used by listener \"\(clash.name)\"")
        }
        var config = GatewayConfig(workers: workers, listeners: listeners, routes: routes, builtinEcho: builtinEcho)
        config.limits = try decodeGlobalLimits(root)
        config.reloadGrace = try root.milliseconds("reload_grace", allowZero: true) ?? config.reloadGrace
        config.admin = try decodeAdmin(root, listeners: listeners, builtinEcho: builtinEcho)
        config.logLevel = try decodeLogLevel(root)
        config.maxCompressedConnections = try root.integer("max_compressed_connections", in: GlobalLimits.connectionCountRange) ?? 0
        return config
    }

    /// A listen address, with parse errors located at `keyPath`.
    func decodeAddress(_ text: String, at keyPath: String) throws(ConfigError) -> SocketAddressSpec {
        do throws(ConfigError) {
            return try SocketAddressSpec(parsing: text)
        } catch {
            throw error.located(at: keyPath)
        }
    }

    /// Checks a listener or route name: 1–64 letters, digits, `-`, `_` or `.`, so logs stay unambiguous.
    static func validateName(_ name: String, at keyPath: String) throws(ConfigError) {
        let allowed = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard (1...64).contains(name.utf8.count), allowed else {
            throw ConfigError(keyPath: keyPath, message: "must be 1–64 letters, digits, '-', '_' or '.'")
        }
    }
}
