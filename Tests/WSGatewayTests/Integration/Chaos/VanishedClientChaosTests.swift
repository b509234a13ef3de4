import Foundation
import Glibc
import Testing

extension Integration.Chaos {
    @Suite struct VanishedClient {
        /// A client disappears without a FIN (its machine or network died). Where this machine allows it the
        /// client sits in a network namespace behind a veth link that the test takes down before closing the
        /// client's socket, so nothing of the close reaches the gateway; elsewhere the client simply stops
        /// reading and answering, which the gateway cannot tell apart. Keepalive (ping every 0.5 s, pong
        /// within 0.5 s) must end it: the upstream gets 1001 "client keepalive timeout" and the gateway
        /// releases the client's descriptors after the close timeout.
        @Test("a client that vanishes without a FIN is closed by keepalive; the upstream gets 1001")
        func vanishesWithoutFIN() throws {
            let namespace = try? NetworkNamespace.make()
            defer { namespace?.remove() }
            let closeAtUpstream = Mailbox<WSFrame>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                let message = try peer.connection.readFrame()
                try peer.connection.send(opcode: message.opcode, message.payload)
                closeAtUpstream.put(try peer.connection.readFrame(timeout: 10))
            }
            let port = try TestEnvironment.freePort()
            let clientAddress = namespace?.hostAddress ?? "127.0.0.1"
            var listeners = #"{"name": "local", "address": "127.0.0.1:\#(port)"}"#
            if let namespace { listeners += #", {"name": "far", "address": "\#(namespace.hostAddress):\#(port)"}"# }
            let config = try TemporaryConfig("""
                {"workers": 1, "listeners": [\(listeners)],
                 "defaults": {"ping_interval": 0.5, "pong_timeout": 0.5, "close_timeout": 1},
                 "routes": [{"name": "app", "upstream": "ws://127.0.0.1:\(upstream.port)/"}]}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            let filesBefore = ProcessProbe.openFiles(gateway.pid)
            let socket = try namespace?.connect(port: port) ?? TestSocket.connect(port: port)
            try socket.send(UpgradeRequestText.make(path: "/", host: clientAddress, key: UpgradeRequestText.newKey()))
            let client = WSTestConnection(socket: socket, isClient: true, response: try HTTPResponse.read(from: socket, readBody: false))
            try client.sendText("here, then gone")
            #expect(try client.readMessage().text == "here, then gone")

            let vanished = Deadline.now()
            if let namespace {
                try namespace.cut()
                client.socket.close()
                print("vanished client: network namespace \(namespace.name), link cut, then the socket closed")
            } else {
                print("vanished client: no network namespace here; the client stops reading and answering")
            }
            let close = closeAtUpstream.take(timeout: 8)
            let noticed = Deadline.now() - vanished
            #expect(close?.closeCode == 1001, "\(String(describing: close))")
            #expect(close?.closeReason == "client keepalive timeout", "\(String(describing: close))")
            #expect(noticed >= 0.5 && noticed < 3, "noticed after \(noticed) s")
            #expect(ProcessProbe.wait(timeout: 5) { ProcessProbe.openFiles(gateway.pid) <= filesBefore },
                    "open files \(filesBefore) before, \(ProcessProbe.openFiles(gateway.pid)) after")
            if namespace == nil {
                // The simulated client is still there to read what the gateway sent it.
                let (last, skipped) = try client.readClose(timeout: 5)
                #expect(last.closeCode == 1011 && skipped.contains { $0.opcode == Opcode.ping }, "\(last) after \(skipped)")
            }
            #expect(upstream.failures.drain().isEmpty)
        }
    }
}
