extension GatewayConfig {
    /// The configuration `wsgate` runs with no arguments: `ws` on 127.0.0.1:8080 and `wss` on 127.0.0.1:8443
    /// (with `devCertificate`), one route `echo` for `/echo` to the built-in echo backend at `echoAddress`, and
    /// the admin listener on 127.0.0.1:9901.
    public static func embeddedDefault(devCertificate: TLSCertificateSpec, echoAddress: SocketAddressSpec) -> GatewayConfig {
        let listeners = [
            ListenerConfig(name: "ws", address: SocketAddressSpec(host: "127.0.0.1", port: 8080), tls: nil),
            ListenerConfig(name: "wss", address: SocketAddressSpec(host: "127.0.0.1", port: 8443), tls: [devCertificate]),
        ]
        let echo = RouteConfig(
            name: "echo",
            listeners: listeners.map(\.name),
            host: nil,
            pathPrefix: "/echo",
            stripPrefix: false,
            upstream: UpstreamURL(secure: false, host: echoAddress.host, port: echoAddress.port, path: "/"),
            policy: .standard)
        var config = GatewayConfig(workers: 0, listeners: listeners, routes: [echo], builtinEcho: echoAddress)
        config.admin = AdminConfig(address: AdminConfig.embeddedDefaultAddress)
        return config
    }
}
