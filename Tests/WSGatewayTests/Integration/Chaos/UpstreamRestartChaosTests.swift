import Glibc
import Synchronization
import Testing

extension Integration.Chaos {
    @Suite struct UpstreamRestart {
        static let clients = 16

        /// Clients keep messages flowing while the echo backend is SIGKILLed: each must get close 1011 from
        /// the gateway (not a bare TCP reset); while the backend is down new clients get 502; once it is
        /// back on its port, new connections work, and the gateway holds no descriptor of the dead ones.
        @Test("upstream killed under load: every client gets 1011, new connections after the restart work")
        func killedAndRestarted() throws {
            var pair = try ProxiedEcho(workers: 2)
            let port = pair.port
            let filesBefore = ProcessProbe.openFiles(pair.proxy.pid)
            let opened = Mailbox<Bool>()
            let closeCodes = Mailbox<UInt16>()
            let echoed = Atomic<Int>(0)
            let load = ThreadGroup(Self.clients) { index in
                let client = try WSTestConnection.open(port: port)
                opened.put(true)
                while true {
                    try client.sendText("load \(index) " + String(repeating: "x", count: 1_000))
                    let frame = try client.readFrame(timeout: 10)
                    if frame.opcode == Opcode.close {
                        closeCodes.put(frame.closeCode ?? 0)
                        try client.sendClose(code: frame.closeCode ?? 1000)
                        guard try client.socket.waitForEnd(timeout: 5) else {
                            throw TestSocketError(description: "client \(index): stream open after the close")
                        }
                        return
                    }
                    echoed.add(1, ordering: .relaxed)
                }
            }
            for _ in 0..<Self.clients { #expect(opened.take(timeout: 10) == true) }
            usleep(300_000)
            let echoedBeforeKill = echoed.load(ordering: .relaxed)
            pair.killEcho()
            let codes = (0..<Self.clients).compactMap { _ in closeCodes.take(timeout: 10) }
            #expect(load.wait(timeout: 10).isEmpty)
            #expect(echoedBeforeKill > Self.clients, "no load before the kill: \(echoedBeforeKill) echoes")
            #expect(codes.count == Self.clients && codes.allSatisfy { $0 == 1011 }, "close codes \(codes)")

            let (_, whileDown, _) = try WSTestConnection.attempt(port: port)
            #expect(whileDown.status == 502, "\(whileDown)")

            pair.echo = try ProxiedEcho.startEcho(port: pair.echoPort)
            for index in 0..<5 {
                let client = try WSTestConnection.open(port: port)
                try client.sendText("after restart \(index)")
                #expect(try client.readMessage().text == "after restart \(index)")
                #expect(try client.closeHandshake().closeCode == 1000)
            }
            #expect(ProcessProbe.wait(timeout: 5) { ProcessProbe.openFiles(pair.proxy.pid) <= filesBefore },
                    "open files \(filesBefore) before, \(ProcessProbe.openFiles(pair.proxy.pid)) after")
        }
    }
}
