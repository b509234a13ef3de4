import Foundation
import Glibc
import Synchronization
import Testing

extension Integration {
    /// Backpressure: a client that stops reading must not make the gateway buffer what the upstream sends.
    @Suite struct SlowReader {
        static let frameSize = 1 << 20
        static let frames = 200

        /// Frame `index`'s payload: its index in the first eight bytes, then a fixed pattern.
        static func payload(_ index: Int, block: [UInt8]) -> [UInt8] {
            var bytes = block
            withUnsafeBytes(of: UInt64(index).littleEndian) { for i in 0..<8 { bytes[i] = $0[i] } }
            return bytes
        }

        @Test("a stalled client holds the gateway's memory to its buffers while 200 MiB wait; all of it arrives later",
              arguments: [false, true])
        func stalledClient(tls: Bool) throws {
            let block = Payloads.binary(size: Self.frameSize)
            let start = Mailbox<Bool>()
            let sent = Atomic<Int>(0)
            let done = Mailbox<Bool>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                guard start.take(timeout: 30) != nil else { return }
                for index in 0..<Self.frames {
                    try peer.connection.send(opcode: Opcode.binary, Self.payload(index, block: block), timeout: 60)
                    sent.add(Self.frameSize, ordering: .relaxed)
                }
                done.put(true)
                let (close, _) = try peer.connection.readClose(timeout: 60)
                try peer.connection.send(opcode: Opcode.close, close.payload)
            }
            let port = try TestEnvironment.freePort()
            let certificates = tls ? try TestEnvironment.listenerTLSKey() : ""
            let config = try TemporaryConfig("""
                {"workers": 1, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"\(certificates)}],
                 "routes": [{"name": "bulk", "upstream": "ws://127.0.0.1:\(upstream.port)/", "buffer_size": 65536,
                             "ping_interval": 0}]}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            let client = try WSTestConnection.open(port: port, tls: tls ? try TestEnvironment.clientTLS() : nil)
            usleep(200_000)
            let baseline = try gateway.residentKilobytes()

            start.put(true)
            // Wait until the upstream is stuck: every socket buffer on the way is full.
            let peak = try Self.peakResidentOnceStalled(gateway, sent: sent)
            let stuckAt = sent.load(ordering: .relaxed)
            #expect(stuckAt < Self.frames * Self.frameSize, "the upstream could send everything: nothing pushed back")
            #expect(peak - baseline <= 8 * 1024, "RSS grew from \(baseline) KiB to \(peak) KiB with a 64 KiB buffer")

            for index in 0..<Self.frames {
                let frame = try client.readFrame(timeout: 60)
                guard frame.opcode == Opcode.binary, Payloads.equal(frame.payload, Self.payload(index, block: block)) else {
                    Issue.record("frame \(index): \(frame)")
                    return
                }
            }
            #expect(done.take(timeout: 10) == true)
            #expect(try client.closeHandshake(timeout: 10).closeCode == 1000)
            #expect(upstream.failures.drain().isEmpty)
            gateway.send(signal: SIGTERM)
            #expect(gateway.waitForExit(timeout: 15) == 0, "\(gateway.output)")
        }

        @Test("a stalled upstream holds the gateway's memory to its buffers while a client sends 200 MiB")
        func stalledUpstream() throws {
            let block = Payloads.binary(size: Self.frameSize)
            let read = Mailbox<Bool>()
            let received = Mailbox<String>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                guard read.take(timeout: 60) != nil else { return }
                for index in 0..<Self.frames {
                    let frame = try peer.connection.readFrame(timeout: 60)
                    guard frame.masked, Payloads.equal(frame.payload, Self.payload(index, block: block)) else {
                        received.put("frame \(index): \(frame)")
                        return
                    }
                }
                received.put("all")
                let (close, _) = try peer.connection.readClose(timeout: 30)
                try peer.connection.send(opcode: Opcode.close, close.payload)
            }
            let port = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 1, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [{"name": "bulk", "upstream": "ws://127.0.0.1:\(upstream.port)/", "buffer_size": 65536,
                             "ping_interval": 0}]}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            let client = try WSTestConnection.open(port: port)
            usleep(200_000)
            let baseline = try gateway.residentKilobytes()

            let sent = Atomic<Int>(0)
            let sender = Mailbox<String>()
            Thread.detachNewThread {
                do {
                    for index in 0..<Self.frames {
                        try client.send(opcode: Opcode.binary, Self.payload(index, block: block), timeout: 120)
                        sent.add(Self.frameSize, ordering: .relaxed)
                    }
                    sender.put("sent")
                } catch {
                    sender.put("\(error)")
                }
            }
            let peak = try Self.peakResidentOnceStalled(gateway, sent: sent)
            #expect(sent.load(ordering: .relaxed) < Self.frames * Self.frameSize, "nothing pushed back on the client")
            #expect(peak - baseline <= 8 * 1024, "RSS grew from \(baseline) KiB to \(peak) KiB with a 64 KiB buffer")

            read.put(true)
            #expect(received.take(timeout: 120) == "all")
            #expect(sender.take(timeout: 30) == "sent")
            #expect(try client.closeHandshake(timeout: 10).closeCode == 1000)
            #expect(upstream.failures.drain().isEmpty)
        }

        /// Waits (up to 30 s) until `sent` stops moving, i.e. every buffer on the way is full, then returns
        /// the gateway's highest VmRSS over one second.
        static func peakResidentOnceStalled(_ gateway: GatewayProcess, sent: borrowing Atomic<Int>) throws -> Int {
            var last = -1
            let settle = Deadline.after(30)
            while sent.load(ordering: .relaxed) != last && !settle.passed {
                last = sent.load(ordering: .relaxed)
                usleep(500_000)
            }
            var peak = 0
            for _ in 0..<5 {
                peak = max(peak, try gateway.residentKilobytes())
                usleep(200_000)
            }
            return peak
        }
    }
}
