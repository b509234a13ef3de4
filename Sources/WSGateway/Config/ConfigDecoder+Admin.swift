import WSIO

extension ConfigDecoder {
    /// The `admin` object: `address` (required) and `token_file` (checked readable and well-formed now,
    /// so `wsgate check` reports it).
    func decodeAdmin(_ root: ConfigObject, listeners: [ListenerConfig],
                     builtinEcho: SocketAddressSpec?) throws(ConfigError) -> AdminConfig? {
        guard let value = root.members["admin"] else { return nil }
        let object = try ConfigObject(value, at: root.path("admin"), allowedKeys: ["address", "token_file"])
        let address = try decodeAddress(try object.requiredString("address"), at: object.path("address"))
        if let clash = listeners.first(where: { $0.address == address }) {
            throw ConfigError(keyPath: object.path("address"), message: "address already used by listener \"\(clash.name)\"")
        }
        if address == builtinEcho {
            throw ConfigError(keyPath: object.path("address"), message: "address already used by builtin_echo")
        }
        var admin = AdminConfig(address: address)
        if let file = try object.string("token_file") {
            let path = ConfigFiles.resolve(file, against: baseDirectory)
            do throws(AdminTokenError) {
                _ = try AdminToken.load(path: path)
            } catch {
                throw ConfigError(keyPath: object.path("token_file"), message: error.description)
            }
            admin.tokenFile = path
        }
        return admin
    }

    /// `log_level`: "debug", "info", "warn" or "error".
    func decodeLogLevel(_ root: ConfigObject) throws(ConfigError) -> Log.Level? {
        guard let name = try root.string("log_level") else { return nil }
        guard let level = Log.Level(name: name) else {
            throw ConfigError(keyPath: root.path("log_level"), message: "must be \"debug\", \"info\", \"warn\" or \"error\"")
        }
        return level
    }
}
