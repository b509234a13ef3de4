import Glibc
import WSIO
import WSTLS

/// Runs what the command line asked for; returns the process exit status.
public enum CommandRunner {
    public static func run(arguments: [String]) -> Int32 {
        let command: Command
        do {
            command = try CommandLineParser.parse(arguments)
        } catch {
            printError(error.description)
            return 2
        }
        switch command {
        case .help(let text):
            print(text)
            return 0
        case .version:
            print("wsgate \(WSGateVersion.string)")
            return 0
        case .check(let path):
            return check(configPath: path)
        case .run(let path, let workers, let operations):
            return withConfig { () throws(ConfigError) in
                var config = try ConfigLoader.load(path: path)
                if let workers { config.workers = workers }
                if let admin = operations.admin, let clash = config.listeners.first(where: { $0.address == admin }) {
                    throw ConfigError(keyPath: "--admin", message: "address already used by listener \"\(clash.name)\"")
                }
                return operations.applied(to: config)
            }
        case .runDefault:
            return runEmbeddedDefault()
        case .proxy(let options):
            return withConfig { () throws(ConfigError) in try options.makeConfig() }
        case .echo(let options):
            return EchoCommand.run(options)
        case .bench(let options):
            return BenchCommand.run(options)
        }
    }

    static func printError(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// Serves what `load` returns, and on SIGHUP what it returns then (the file read again).
    private static func withConfig(_ load: @escaping () throws(ConfigError) -> GatewayConfig) -> Int32 {
        do {
            return ServeCommand.serve(try load(), reload: { () throws in try load() })
        } catch {
            printError("wsgate: configuration: \(error.description)")
            return 1
        }
    }

    /// Validates a file the way `run` would load it, including certificates and upstream names.
    private static func check(configPath: String) -> Int32 {
        do {
            let config = try ConfigLoader.load(path: configPath)
            _ = try RuntimeBuilder.build(config)
            print("\(configPath): OK (\(config.listeners.count) listeners, \(config.routes.count) routes)")
            return 0
        } catch let error as ConfigError {
            printError("\(configPath): \(error.description)")
        } catch {
            printError("\(configPath): \(error)")
        }
        return 1
    }

    private static func runEmbeddedDefault() -> Int32 {
        let directory = DevCertificateLocation.directory
        let certificate: TLSCertificateConfig
        do {
            certificate = try DevCertificate.ensure(directory: directory)
        } catch {
            printError("wsgate: dev certificate in \(directory): \(error.description)")
            return 1
        }
        let config = GatewayConfig.embeddedDefault(
            devCertificate: TLSCertificateSpec(cert: certificate.certificateChainPath, key: certificate.privateKeyPath,
                                               serverNames: certificate.serverNames),
            echoAddress: SocketAddressSpec(host: "127.0.0.1", port: 8081))
        // A reload of the embedded default reloads its certificate files.
        return ServeCommand.serve(config, banner: .embeddedDefault(certificatePath: certificate.certificateChainPath),
                                  reload: { config })
    }
}

/// Where the embedded default keeps its self-signed certificate.
enum DevCertificateLocation {
    static var directory: String {
        if let explicit = getenv("WSGATE_DEV_CERT_DIR") { return String(cString: explicit) }
        if let cache = getenv("XDG_CACHE_HOME") { return String(cString: cache) + "/wsgate" }
        if let home = getenv("HOME") { return String(cString: home) + "/.cache/wsgate" }
        return "/tmp/wsgate-dev-cert"
    }
}
