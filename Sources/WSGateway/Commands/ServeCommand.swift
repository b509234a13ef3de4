import Glibc
import WSIO

/// Runs the gateway until SIGTERM or SIGINT, then drains.
enum ServeCommand {
    enum Banner {
        case plain
        case embeddedDefault(certificatePath: String)
    }

    static let drainMilliseconds: UInt64 = 10_000

    /// Runs `config`; on SIGHUP, `reload` produces the configuration to switch to.
    static func serve(_ config: GatewayConfig, banner: Banner = .plain,
                      reload: @escaping () throws -> GatewayConfig) -> Int32 {
        Signals.blockProcessSignals()
        Log.setLevel(config.logLevel ?? .info)
        let openFiles = FileLimit.raiseToHardLimit()
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
                             "listeners": .int(runtime.listeners.count), "routes": .int(runtime.routes.count),
                             "open_files_limit": .int(openFiles)])
        SystemdNotifier.notify("READY=1")
        while true {
            guard let signal = Signals.wait(milliseconds: 1_000) else { continue }
            if signal == SIGHUP {
                reloadConfiguration(server, using: reload)
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

    /// Builds the new runtime completely (files, certificates, keys, names) before touching the running
    /// one, so a configuration that fails leaves the old one serving.
    private static func reloadConfiguration(_ server: GatewayServer, using load: () throws -> GatewayConfig) {
        do {
            let config = try load()
            let current = server.runtime
            if config.workers != current.config.workers {
                Log.warn("reload_workers_ignored", ["detail": "the number of workers changes only on restart"])
            }
            if config.builtinEcho != current.config.builtinEcho {
                Log.warn("reload_builtin_echo_ignored", ["detail": "builtin_echo changes only on restart"])
            }
            let runtime = try RuntimeBuilder.build(config, previous: current)
            server.apply(runtime, graceMilliseconds: UInt64(config.reloadGrace))
            Log.info("reload_applied", ["listeners": .int(runtime.listeners.count), "routes": .int(runtime.routes.count)])
        } catch let error as ConfigError {
            Log.error("reload_failed", ["error": .string(error.description), "detail": "keeping the running configuration"])
        } catch {
            Log.error("reload_failed", ["error": .string("\(error)"), "detail": "keeping the running configuration"])
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
