import Foundation
import Glibc
import Testing

extension Integration {
    /// Hot reload on SIGHUP with traffic: nothing established is dropped, new connections follow the new
    /// configuration, a configuration that does not load changes nothing, removed routes are retired.
    @Suite struct Reload {
        private static func config(port: UInt16, echoPort: UInt16, routes: [String], grace: Double = 30) -> String {
            let routeObjects = routes.map { name in
                #"{"name": "\#(name)", "path_prefix": "/\#(name)", "upstream": "ws://127.0.0.1:\#(echoPort)/"}"#
            }
            return """
                {"workers": 2, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [\(routeObjects.joined(separator: ","))],
                 "builtin_echo": "127.0.0.1:\(echoPort)", "reload_grace": \(grace)}
                """
        }

        private static func echoes(_ client: WSTestConnection, _ text: String) throws -> Bool {
            try client.sendText(text)
            return try client.readMessage(timeout: 5).text == text
        }

        /// Waits until `path` upgrades (the reload reached every loop) or `timeout` passes.
        private static func waitUntilRouted(port: UInt16, path: String, timeout: Double = 5) -> Bool {
            let deadline = Deadline.after(timeout)
            while !deadline.passed {
                if let (_, response, _) = try? WSTestConnection.attempt(port: port, path: path, timeout: 2),
                   response.status == 101 {
                    return true
                }
                usleep(20_000)
            }
            return false
        }

        @Test("500 live connections survive reloads; new, invalid and route-removing configurations")
        func reloadUnderTraffic() throws {
            TestEnvironment.raiseFileLimit()
            let port = try TestEnvironment.freePort()
            let echoPort = try TestEnvironment.freePort()
            let file = try TemporaryConfig(Self.config(port: port, echoPort: echoPort, routes: ["one"]))
            let gateway = try GatewayProcess(arguments: ["run", "--config", file.path], readyPort: port)
            let clients = try (0..<500).map { _ in try WSTestConnection.open(port: port, path: "/one") }
            for (index, client) in clients.enumerated() { #expect(try Self.echoes(client, "before \(index)")) }

            // A new route: established connections carry on, new ones are routed by the new file.
            try Self.config(port: port, echoPort: echoPort, routes: ["one", "two"])
                .write(toFile: file.path, atomically: true, encoding: .utf8)
            gateway.send(signal: SIGHUP)
            #expect(Self.waitUntilRouted(port: port, path: "/two"), "\(gateway.output)")
            for (index, client) in clients.enumerated() { #expect(try Self.echoes(client, "after \(index)")) }

            // A file that does not load: refused, logged, and everything keeps working.
            try "{ \"listeners\": oops".write(toFile: file.path, atomically: true, encoding: .utf8)
            gateway.send(signal: SIGHUP)
            let logged = Deadline.after(5)
            while !gateway.output.contains("reload_failed") && !logged.passed { usleep(20_000) }
            #expect(gateway.output.contains("reload_failed"))
            #expect(Self.waitUntilRouted(port: port, path: "/two"))
            for client in clients.prefix(50) { #expect(try Self.echoes(client, "still")) }

            // Route "one" removed with a short grace: its connections get 1001, new ones 404.
            try Self.config(port: port, echoPort: echoPort, routes: ["two"], grace: 0.5)
                .write(toFile: file.path, atomically: true, encoding: .utf8)
            gateway.send(signal: SIGHUP)
            for client in clients {
                let (close, _) = try client.readClose(timeout: 10)
                #expect(close.closeCode == 1001)
                #expect(close.closeReason == "route removed")
            }
            let (_, refused, _) = try WSTestConnection.attempt(port: port, path: "/one")
            #expect(refused.status == 404)
            #expect(gateway.output.components(separatedBy: "reload_applied").count - 1 == 2)
        }
    }
}
