import Foundation
import Glibc
@testable import WSGateway
import WSIO

/// A gateway in this process configured from JSON (listener `main` moved to a free port) with the admin
/// listener, for the pool tests.
///
/// `@unchecked Sendable`: started and stopped from the test's thread only; the loops own the rest.
final class PoolGateway: @unchecked Sendable {
    let group: EventLoopGroup
    let server: GatewayServer
    let admin: AdminServer
    let port: UInt16
    private var stopped = false

    init(loops: Int = 2, tokenFile: String? = nil, _ json: String) throws {
        Log.setLevel(.error)
        group = try EventLoopGroup(count: loops)
        var config = try ConfigLoader.parse(bytes: Array(json.utf8), baseDirectory: "/")
        for index in config.listeners.indices {
            config.listeners[index].address = SocketAddressSpec(host: "127.0.0.1", port: 0)
        }
        config.workers = loops
        server = try GatewayServer(runtime: try RuntimeBuilder.build(config), group: group)
        port = server.boundAddresses[0].address.port
        admin = try AdminServer(config: AdminConfig(address: SocketAddressSpec(host: "127.0.0.1", port: 0), tokenFile: tokenFile),
                                gateway: server)
        group.start()
        admin.start()
    }

    /// A one-listener configuration with `routes` (JSON array text).
    static func config(routes: String) -> String {
        #"{"listeners": [{"name": "main", "address": "127.0.0.1:1"}], "routes": \#(routes)}"#
    }

    /// The pool of the route called `route`.
    func pool(_ route: String) -> UpstreamPool { server.runtime.routes.first { $0.name == route }!.pool }

    /// Waits until `condition` holds; false after `timeout` seconds.
    func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Deadline.after(timeout)
        while !condition() {
            if deadline.passed { return false }
            usleep(5_000)
        }
        return true
    }

    /// Sends a request to the admin listener.
    func adminRequest(_ method: String, _ path: String, headers: [(String, String)] = []) throws -> HTTPResponse {
        try AdminHTTP.get(port: admin.boundAddress.port, path: path, method: method, headers: headers)
    }

    /// Applies `json` as a reload would (the new runtime built against the running one).
    func reload(_ json: String) throws {
        var config = try ConfigLoader.parse(bytes: Array(json.utf8), baseDirectory: "/")
        config.listeners = server.runtime.config.listeners
        config.workers = server.runtime.config.workers
        server.apply(try RuntimeBuilder.build(config, previous: server.runtime), graceMilliseconds: 30_000)
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        admin.stop()
        server.beginShutdown()
        _ = wait(timeout: 0.5) { server.connectionCount == 0 }
        group.stop()
        group.join()
    }

    deinit { stop() }
}

/// One client connection through the gateway to a named backend.
struct NamedClient {
    let connection: WSTestConnection
    /// The backend's name (its first message).
    let backend: String

    /// Opens a WebSocket and reads the backend's name.
    static func open(port: UInt16, path: String = "/", headers: [(String, String)] = []) throws -> NamedClient {
        let connection = try WSTestConnection.open(port: port, path: path, headers: headers, timeout: 5)
        return NamedClient(connection: connection, backend: try connection.readMessage(timeout: 5).text)
    }

    /// One echo round trip.
    func echoes(_ text: String) throws -> Bool {
        try connection.sendText(text)
        return try connection.readMessage(timeout: 5).text == text
    }

    /// Opens, reads the name, closes politely; returns the backend's name.
    static func visit(port: UInt16, path: String = "/", headers: [(String, String)] = []) throws -> String {
        let client = try open(port: port, path: path, headers: headers)
        try client.connection.closeHandshake(timeout: 5)
        return client.backend
    }
}
