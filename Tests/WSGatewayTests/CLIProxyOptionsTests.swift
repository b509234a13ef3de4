import Testing
import WSGateway

@Suite struct CLIProxyOptionsTests {
    static let from = SocketAddressSpec(host: "127.0.0.1", port: 8080)
    static let to = UpstreamURL(secure: false, host: "127.0.0.1", port: 9000, path: "/base")

    @Test func makesOneListenerAndOneCatchAllRoute() throws {
        let config = try ProxyOptions(from: Self.from, to: Self.to).makeConfig()
        #expect(config.workers == 0)
        #expect(config.builtinEcho == nil)
        #expect(config.listeners == [ListenerConfig(name: "proxy", address: Self.from, tls: nil)])
        #expect(config.routes == [RouteConfig(
            name: "proxy", listeners: ["proxy"], host: nil, pathPrefix: "/", stripPrefix: false, upstream: Self.to,
            policy: .standard)])
        let router = Router(routes: config.routes)
        #expect(router.match(listener: "proxy", host: "any", path: "/x?y")?.upstreamTarget == "/base/x?y")
    }

    @Test func carriesWorkersPrefixAndCertificate() throws {
        let directory = try TemporaryDirectory()
        let tls = TLSCertificateSpec(
            cert: try directory.createFile("c.pem"), key: try directory.createFile("k.pem"), serverNames: [])
        let config = try ProxyOptions(from: Self.from, to: Self.to, tls: tls, workers: 6, pathPrefix: "/api").makeConfig()
        #expect(config.workers == 6)
        #expect(config.listeners[0].tls == [tls])
        #expect(config.routes[0].pathPrefix == "/api")
    }

    @Test func reportsProblemsAtTheirFlags() {
        let missing = TLSCertificateSpec(cert: "/nonexistent/c.pem", key: "/nonexistent/k.pem", serverNames: [])
        #expect(Self.errorKeyPath(ProxyOptions(from: Self.from, to: Self.to, tls: missing)) == "--tls-cert")
        #expect(Self.errorKeyPath(ProxyOptions(from: Self.from, to: Self.to, workers: 300)) == "--workers")
        #expect(Self.errorKeyPath(ProxyOptions(from: Self.from, to: Self.to, pathPrefix: "x")) == "--path-prefix")
    }

    static func errorKeyPath(_ options: ProxyOptions) -> String? {
        do {
            _ = try options.makeConfig()
            return nil
        } catch {
            return error.keyPath
        }
    }
}
