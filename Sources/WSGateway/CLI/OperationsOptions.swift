import WSIO

/// The operating flags of `wsgate run` and `wsgate proxy`: the admin listener and the log level.
public struct OperationsOptions: Sendable, Equatable {
    /// Admin listener address (`--admin`); nil keeps the file's (or none).
    public var admin: SocketAddressSpec?
    /// Least severe log level written (`--log-level`); nil keeps the file's (or info).
    public var logLevel: Log.Level?

    /// Creates operating options.
    public init(admin: SocketAddressSpec? = nil, logLevel: Log.Level? = nil) {
        self.admin = admin
        self.logLevel = logLevel
    }

    static let flags: [FlagSpec] = [.value("--admin"), .value("--log-level")]

    /// Reads `--admin` and `--log-level`.
    init(flags: ScannedFlags) throws(CLIError) {
        if let text = flags.value("--admin") {
            do throws(ConfigError) {
                admin = try SocketAddressSpec(parsing: text)
            } catch {
                throw flags.error("--admin: \(error.message)")
            }
        }
        if let name = flags.value("--log-level") {
            guard let level = Log.Level(name: name) else {
                throw flags.error("--log-level must be debug, info, warn or error, got \"\(name)\"")
            }
            logLevel = level
        }
    }

    /// `config` with these flags applied: `--admin` replaces the admin address (a file's token file stays).
    func applied(to config: GatewayConfig) -> GatewayConfig {
        var config = config
        if let admin {
            config.admin = AdminConfig(address: admin, tokenFile: config.admin?.tokenFile)
        }
        if let logLevel { config.logLevel = logLevel }
        return config
    }
}
