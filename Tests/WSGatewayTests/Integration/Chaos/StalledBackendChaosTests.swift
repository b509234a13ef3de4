import Glibc
import Synchronization
import Testing

extension Integration.Chaos {
    @Suite struct StalledBackend {
        /// The backend takes the upgrade and then reads nothing. The client's sends must come to a halt
        /// once the socket buffers on both hops are full (the gateway stops reading it), the gateway's
        /// resident memory must stay within a few MiB of where it was, and other connections keep working.
        /// When the backend reads again, every message the client completed arrives.
        @Test("a backend that stops reading: the client is blocked, gateway memory stays bounded")
        func backendStopsReading() throws {
            let release = Mailbox<Bool>()
            let received = Mailbox<Int>()
            let connections = Atomic<Int>(0)
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                guard connections.add(1, ordering: .relaxed).newValue == 1 else {
                    let message = try peer.connection.readFrame()
                    try peer.connection.send(opcode: message.opcode, message.payload)
                    let (close, _) = try peer.connection.readClose(timeout: 5)
                    try peer.connection.send(opcode: Opcode.close, close.payload)
                    return
                }
                _ = release.take(timeout: 60)
                var messages = 0
                defer { received.put(messages) }
                // The client's last send timed out part-way, so the stream ends inside a frame.
                while let frame = try? peer.connection.readFrame(timeout: 5), frame.opcode == Opcode.binary { messages += 1 }
            }
            let port = try TestEnvironment.freePort()
            let proxy = try GatewayProcess(arguments: ["proxy", "--from", "127.0.0.1:\(port)", "--to",
                                                       "ws://127.0.0.1:\(upstream.port)/", "--workers", "1"], readyPort: port)
            let memoryBefore = try proxy.residentKilobytes()
            let client = try WSTestConnection.open(port: port)
            let message = Payloads.binary(size: 64 << 10)
            var sent = 0
            var blocked = false
            while sent < 4_096 {
                do {
                    try client.send(opcode: Opcode.binary, message, timeout: 1)
                    sent += 1
                } catch {
                    blocked = true
                    break
                }
            }
            let memoryBlocked = try proxy.residentKilobytes()
            print("stalled backend: client blocked after \(sent) messages of 64 KiB; gateway VmRSS \(memoryBefore) → \(memoryBlocked) KiB")
            #expect(blocked, "the client sent \(sent * 64) KiB without being held back")
            #expect(memoryBlocked - memoryBefore < 4_096, "VmRSS \(memoryBefore) → \(memoryBlocked) KiB")

            let other = try WSTestConnection.open(port: port)
            try other.sendText("still serving")
            #expect(try other.readMessage().text == "still serving")
            #expect(try other.closeHandshake().closeCode == 1000)

            release.put(true)
            client.socket.close()
            let delivered = received.take(timeout: 30)
            #expect((delivered ?? 0) >= sent, "the backend got \(String(describing: delivered)) of \(sent) messages")
        }
    }
}
