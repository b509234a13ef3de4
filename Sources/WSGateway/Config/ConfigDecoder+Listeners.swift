import WSJSON
import WSTLS

extension ConfigDecoder {
    func decodeListeners(_ root: ConfigObject) throws(ConfigError) -> [ListenerConfig] {
        var listeners: [ListenerConfig] = []
        for (index, item) in try root.nonEmptyArray("listeners").enumerated() {
            let keyPath = ConfigObject.element(root.path("listeners"), index)
            let listener = try decodeListener(item, at: keyPath)
            if listeners.contains(where: { $0.name == listener.name }) {
                throw ConfigError(keyPath: "\(keyPath).name", message: "duplicate listener name \"\(listener.name)\"")
            }
            if let clash = listeners.first(where: { $0.address == listener.address }) {
                throw ConfigError(
                    keyPath: "\(keyPath).address", message: "address already used by listener \"\(clash.name)\"")
            }
            listeners.append(listener)
        }
        return listeners
    }

    private func decodeListener(_ value: JSONValue, at keyPath: String) throws(ConfigError) -> ListenerConfig {
        let object = try ConfigObject(value, at: keyPath, allowedKeys: ["name", "address", "tls"] + Self.listenerEdgeKeys)
        let name = try object.requiredString("name")
        try Self.validateName(name, at: object.path("name"))
        let address = try decodeAddress(try object.requiredString("address"), at: object.path("address"))
        let tls = try object.members["tls"].map { value throws(ConfigError) in
            try decodeTLS(value, at: object.path("tls"))
        }
        var listener = ListenerConfig(name: name, address: address, tls: tls?.certificates)
        if let sessionTickets = tls?.sessionTickets { listener.tlsSessionTickets = sessionTickets }
        listener.edge = try decodeListenerEdge(object)
        return listener
    }

    private func decodeTLS(_ value: JSONValue, at keyPath: String) throws(ConfigError)
        -> (certificates: [TLSCertificateSpec], sessionTickets: Int?)
    {
        let object = try ConfigObject(value, at: keyPath, allowedKeys: ["certificates", "session_tickets"])
        var certificates: [TLSCertificateSpec] = []
        for (index, item) in try object.nonEmptyArray("certificates").enumerated() {
            let itemPath = ConfigObject.element(object.path("certificates"), index)
            let certificate = try decodeCertificate(item, at: itemPath)
            // Selection falls back to the first certificate, so any later one without names could never be used.
            if index > 0 && certificate.serverNames.isEmpty {
                throw ConfigError(
                    keyPath: "\(itemPath).server_names", message: "only the first certificate may omit server_names")
            }
            certificates.append(certificate)
        }
        let sessionTickets = try object.integer("session_tickets", in: 0...TLSServerContext.maxSessionTickets)
        return (certificates, sessionTickets)
    }

    private func decodeCertificate(_ value: JSONValue, at keyPath: String) throws(ConfigError) -> TLSCertificateSpec {
        let object = try ConfigObject(value, at: keyPath, allowedKeys: ["cert", "key", "server_names"])
        let cert = ConfigFiles.resolve(try object.requiredString("cert"), against: baseDirectory)
        try ConfigFiles.requireReadableFile(cert, at: object.path("cert"))
        let key = ConfigFiles.resolve(try object.requiredString("key"), against: baseDirectory)
        try ConfigFiles.requireReadableFile(key, at: object.path("key"))
        var serverNames: [String] = []
        for (index, item) in (try object.array("server_names") ?? []).enumerated() {
            let itemPath = ConfigObject.element(object.path("server_names"), index)
            do throws(ConfigError) {
                serverNames.append(try HostPattern(parsing: try expectString(item, at: itemPath)).description)
            } catch {
                throw error.located(at: itemPath)
            }
        }
        return TLSCertificateSpec(cert: cert, key: key, serverNames: serverNames)
    }
}
