import Glibc
import WSIO
import WSTLS

/// `wsgate echo`: a fast WebSocket echo backend for demos, tests and benchmarks.
enum EchoCommand {
    static func run(_ options: EchoOptions) -> Int32 {
        Signals.blockProcessSignals()
        FileLimit.raiseToHardLimit()
        guard let address = SocketAddress(host: options.listen.host, port: options.listen.port) else {
            CommandRunner.printError("wsgate echo: --listen: not a numeric address: \(options.listen)")
            return 2
        }
        let group: EventLoopGroup
        let server: EchoServer
        do {
            let tls = try options.tls.map { spec throws(TLSError) in
                try TLSServerContext(certificates: [
                    TLSCertificateConfig(certificateChainPath: spec.cert, privateKeyPath: spec.key, serverNames: spec.serverNames),
                ])
            }
            group = try EventLoopGroup(count: options.workers ?? EventLoopGroup.coreCount)
            server = EchoServer(address: address, tls: tls, deflate: options.deflate)
            try server.attach(to: group)
        } catch {
            CommandRunner.printError("wsgate echo: \(error)")
            return 1
        }
        group.start()
        print("wsgate echo listening on \(options.tls == nil ? "ws" : "wss")://\(server.boundAddress ?? address)/"
            + (options.deflate ? " (permessage-deflate)" : ""))
        fflush(nil)
        while true {
            if let signal = Signals.wait(milliseconds: 1_000), signal != SIGHUP { break }
        }
        group.stop()
        group.join()
        return 0
    }
}
