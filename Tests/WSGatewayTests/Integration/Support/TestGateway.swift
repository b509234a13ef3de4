import Foundation
import WSGateway
import WSIO

/// A gateway and the built-in echo backend running in this process on free ports, for one test.
///
/// `@unchecked Sendable`: its parts are only started and stopped from the test's thread; the loops own
/// everything else.
final class TestGateway: @unchecked Sendable {
    /// A route to an upstream of the test's choosing (the echo route `/echo` is always there).
    struct Route {
        var name: String
        var pathPrefix: String
        var upstreamPort: UInt16
        var policy: RoutePolicy = .standard
        var stripPrefix = false
        var upstreamPath = "/"
    }

    let group: EventLoopGroup
    let server: GatewayServer
    let echo: EchoServer
    /// The plain listener's port.
    let port: UInt16
    /// The TLS listener's port, when one was asked for.
    let tlsPort: UInt16?
    private var stopped = false

    init(routes: [Route] = [], echoPolicy: RoutePolicy = .standard, tls: Bool = false, loops: Int = 2) throws {
        Log.setLevel(.error)
        group = try EventLoopGroup(count: loops)
        echo = EchoServer(address: SocketAddress(host: "127.0.0.1", port: 0)!)
        try echo.attach(to: group)
        let echoPort = echo.boundAddress!.port
        var listeners = [ListenerConfig(name: "ws", address: SocketAddressSpec(host: "127.0.0.1", port: 0), tls: nil)]
        if tls {
            let certificate = TLSCertificateSpec(cert: try TestEnvironment.certificate("server-chain.pem"),
                                                 key: try TestEnvironment.certificate("server.key"), serverNames: [])
            listeners.append(ListenerConfig(name: "wss", address: SocketAddressSpec(host: "127.0.0.1", port: 0),
                                            tls: [certificate]))
        }
        let allRoutes = routes + [Route(name: "echo", pathPrefix: "/echo", upstreamPort: echoPort, policy: echoPolicy)]
        let config = GatewayConfig(
            workers: loops, listeners: listeners,
            routes: allRoutes.map { route in
                RouteConfig(name: route.name, listeners: listeners.map(\.name), host: nil, pathPrefix: route.pathPrefix,
                            stripPrefix: route.stripPrefix,
                            upstream: UpstreamURL(secure: false, host: "127.0.0.1", port: route.upstreamPort,
                                                  path: route.upstreamPath),
                            policy: route.policy)
            },
            builtinEcho: nil)
        server = try GatewayServer(runtime: try RuntimeBuilder.build(config), group: group)
        let bound = Dictionary(uniqueKeysWithValues: server.boundAddresses.map { ($0.name, $0.address.port) })
        port = bound["ws"]!
        tlsPort = bound["wss"]
        group.start()
    }

    /// A port with nothing listening on it (bound, then closed).
    static func deadPort() throws -> UInt16 { try TestEnvironment.freePort() }

    /// Sends every connection close 1001, gives them a moment to finish, and stops the loops (a test that
    /// left a client open and unread does not wait for its close timeout).
    func stop() {
        guard !stopped else { return }
        stopped = true
        server.beginShutdown()
        let deadline = Deadline.after(0.5)
        while server.connectionCount > 0 && !deadline.passed { usleep(10_000) }
        group.stop()
        group.join()
    }

    deinit { stop() }
}

extension RoutePolicy {
    /// The standard policy with some keys changed.
    static func with(_ change: (inout RoutePolicy) -> Void) -> RoutePolicy {
        var policy = RoutePolicy.standard
        change(&policy)
        return policy
    }
}
