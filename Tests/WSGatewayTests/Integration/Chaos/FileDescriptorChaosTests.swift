import Glibc
import Testing

extension Integration.Chaos {
    @Suite struct FileDescriptors {
        static let fileLimit = 64
        static let clients = 48

        /// The gateway runs with 64 descriptors and more clients arrive than fit (each proxied connection
        /// needs two). It must log `accept_paused` rather than spin or die, keep echoing for the connections
        /// it holds, answer or queue the rest, and accept again once descriptors are free.
        @Test("out of file descriptors: accept_paused, established connections keep working, recovery")
        func outOfDescriptors() throws {
            let pair = try ProxiedEcho()
            try ProcessProbe.setFileLimit(pair.proxy.pid, Self.fileLimit)
            let baseline = ProcessProbe.openFiles(pair.proxy.pid)
            var held: [WSTestConnection] = []
            var waiting: [TestSocket] = []
            var refused: [Int] = []
            for _ in 0..<Self.clients {
                let socket = try TestSocket.connect(port: pair.port, timeout: 2)
                try socket.send(UpgradeRequestText.make(path: "/", key: UpgradeRequestText.newKey()))
                guard try socket.hasInput(within: 0.3) else {
                    waiting.append(socket)
                    continue
                }
                let response = try HTTPResponse.read(from: socket, readBody: true)
                if response.status == 101 {
                    held.append(WSTestConnection(socket: socket, isClient: true, response: response))
                } else {
                    refused.append(response.status)
                }
            }
            print("out of descriptors: limit \(Self.fileLimit), \(baseline) in use at rest; \(held.count) held, "
                  + "\(refused.count) refused with \(Set(refused).sorted()), \(waiting.count) waiting to be accepted")
            #expect(held.count >= (Self.fileLimit - baseline) / 2 - 2, "only \(held.count) connections fit")
            #expect(refused.allSatisfy { $0 == 502 || $0 == 503 }, "refused with \(refused)")
            #expect(!waiting.isEmpty || !refused.isEmpty, "every client fit under the limit: the test proved nothing")
            #expect(ProcessProbe.wait(timeout: 3) { pair.proxy.output.contains("accept_paused") }, "\(pair.proxy.output)")

            for (index, client) in held.enumerated() {
                try client.sendText("held \(index)")
                #expect(try client.readMessage().text == "held \(index)")
            }
            #expect(pair.proxy.process.isRunning)

            for client in held { try client.closeHandshake() }
            var upgradedLater = 0
            for socket in waiting {
                let response = try HTTPResponse.read(from: socket, readBody: true, timeout: 10)
                if response.status == 101 {
                    let client = WSTestConnection(socket: socket, isClient: true, response: response)
                    try client.sendText("accepted late")
                    #expect(try client.readMessage().text == "accepted late")
                    try client.closeHandshake()
                    upgradedLater += 1
                }
            }
            #expect(upgradedLater == waiting.count, "\(upgradedLater) of \(waiting.count) waiting clients were served")
            let fresh = try WSTestConnection.open(port: pair.port)
            try fresh.sendText("recovered")
            #expect(try fresh.readMessage().text == "recovered")
            try fresh.closeHandshake()
            #expect(ProcessProbe.wait(timeout: 5) { ProcessProbe.openFiles(pair.proxy.pid) <= baseline },
                    "open files \(baseline) at rest, \(ProcessProbe.openFiles(pair.proxy.pid)) after")
        }
    }
}
