import Glibc
import WSIO

/// Runs the gateway until SIGTERM or SIGINT, then drains.
enum ServeCommand {
    enum Banner {
        case plain
        case embeddedDefault(certificatePath: String)
    }

    static let drainMilliseconds: UInt64 = 10_000

    static func serve(_ config: GatewayConfig, banner: Banner = .plain) -> Int32 {
        Signals.blockProcessSignals()
        Log.setLevel(config.logLevel ?? .info)
        let runtime: GatewayRuntime
        let group: EventLoopGroup
        let server: GatewayServer
        var echoServer: EchoServer?
        var admin: AdminServer?
        do {
            runtime = try RuntimeBuilder.build(config)
            group = try EventLoopGroup(count: runtime.settings.workers)
            server = try GatewayServer(runtime: runtime, group: group)
            if let echo = config.builtinEcho {
                guard let address = SocketAddress(host: echo.host, port: echo.port) else {
                    throw GatewayError.config("builtin_echo: not a numeric address: \(echo)")
                }
                echoServer = EchoServer(address: address)
                try echoServer?.attach(to: group)
            }
            admin = try config.admin.map { config throws(GatewayError) in try AdminServer(config: config, gateway: server) }
        } catch let error as GatewayError {
            CommandRunner.printError("wsgate: \(error.description)")
            return 1
        } catch {
            CommandRunner.printError("wsgate: \(error)")
            return 1
        }
        group.start()
        admin?.start()
        announce(server, admin: admin, config: config, banner: banner)
        Log.info("started", ["version": .string(WSGateVersion.string), "workers": .int(group.loops.count),
                             "listeners": .int(runtime.listeners.count), "routes": .int(runtime.routes.count)])
        SystemdNotifier.notify("READY=1")
        while true {
            guard let signal = Signals.wait(milliseconds: 1_000) else { continue }
            if signal == SIGHUP {
                Log.warn("reload_unsupported", ["detail": "configuration reload is not available in this version; restart to apply changes"])
                continue
            }
            Log.info("shutdown_started", ["signal": .int(Int(signal)), "connections": .int(server.connectionCount)])
            SystemdNotifier.notify("STOPPING=1")
            let left = server.drain(milliseconds: drainMilliseconds)
            group.stop()
            group.join()
            withExtendedLifetime((echoServer, admin)) {}
            Log.info("shutdown_complete", ["connections_cut": .int(left)])
            return 0
        }
    }

    private static func announce(_ server: GatewayServer, admin: AdminServer?, config: GatewayConfig, banner: Banner) {
        var lines = ["wsgate \(WSGateVersion.string) listening:"]
        let tlsNames = Set(config.listeners.filter { $0.tls != nil }.map(\.name))
        let paths = config.routes.map(\.pathPrefix)
        for (name, address) in server.boundAddresses {
            let scheme = tlsNames.contains(name) ? "wss" : "ws"
            lines.append("  \(scheme)://\(address)\(paths.first ?? "/")  (listener \(name))")
        }
        if let admin {
            lines.append("  http://\(admin.boundAddress)/  (admin: status page, /metrics, /status, /healthz, /readyz)")
        }
        if case .embeddedDefault(let certificatePath) = banner, let plain = server.boundAddresses.first {
            lines.append("  dev certificate (self-signed, for localhost only): \(certificatePath)")
            lines.append("Try it (pip install websockets):  python3 -m websockets ws://\(plain.address)/echo")
        }
        print(lines.joined(separator: "\n"))
        fflush(nil)
    }
}
