import Foundation
import Glibc
import Synchronization
import Testing
import WSProtocol

extension Integration {
    /// Backpressure when the gateway terminates permessage-deflate: it inflates every compressed message
    /// and compresses it again, and must still stop reading one side while the other does not read,
    /// holding no more than its buffers and one message in memory.
    @Suite struct DeflateBackpressure {
        static let messageSize = 32 << 10
        static let messages = 1_500
        /// What the gateway answers a browser-like offer from the client.
        static let clientAgreement = DeflateAgreement(serverMaxWindowBits: 12, clientMaxWindowBits: 12)
        /// What the scripted upstream answers the gateway's offer (`permessage-deflate; server_max_window_bits=12`).
        static let upstreamAgreement = DeflateAgreement(serverMaxWindowBits: 12)

        /// 1 MiB of letters and spaces, skewed so deflate halves it: compressible, yet enough bytes on the
        /// wire to fill the sockets' buffers.
        static let corpus: [UInt8] = {
            let letters = Array("etaoinshrdlucmfw".utf8)
            var state: UInt64 = 0x2545_F491_4F6C_DD1D
            return (0..<(1 << 20)).map { _ in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return (state >> 4) & 7 == 0 ? UInt8(ascii: " ") : letters[Int(state & 15)]
            }
        }()

        /// Message `index`: its index in the first eight bytes, then a slice of the corpus that moves with it.
        static func message(_ index: Int) -> [UInt8] {
            let offset = (index &* 40_503) % (corpus.count - messageSize)
            return withUnsafeBytes(of: UInt64(index).littleEndian, Array.init) + corpus[offset..<(offset + messageSize - 8)]
        }

        /// A gateway whose one route terminates compression (`"deflate": true`); it has read its config once
        /// it listens, so the file may go.
        static func startGateway(upstream: ScriptedUpstream) throws -> (GatewayProcess, port: UInt16) {
            let port = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 1, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "routes": [{"name": "chat", "upstream": "ws://127.0.0.1:\(upstream.port)/", "buffer_size": 65536,
                             "ping_interval": 0, "deflate": true}]}
                """)
            return (try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port), port)
        }

        static func openClient(port: UInt16) throws -> WSTestConnection {
            let client = try WSTestConnection.open(
                port: port, headers: [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")])
            guard client.response?.header("Sec-WebSocket-Extensions") == clientAgreement.headerValue else {
                throw TestSocketError(description: "client not compressed: \(String(describing: client.response))")
            }
            return client
        }

        /// Reads `messages` compressed frames and checks each against `message(index)`; nil when all match.
        static func readAll(_ connection: WSTestConnection, _ codec: DeflateTestCodec, opcode: UInt8) throws -> String? {
            for index in 0..<messages {
                let frame = try connection.readFrame(timeout: 60)
                guard frame.opcode == opcode, frame.fin, frame.rsv == 0x40, let inflated = codec.inflate(frame.payload)
                else { return "message \(index): \(frame)" }
                if let difference = Payloads.difference(inflated, message(index)) { return "message \(index): \(difference)" }
            }
            return nil
        }

        @Test("terminate: a stalled upstream holds the gateway's memory while a client sends compressed messages; all arrive in order")
        func stalledUpstream() throws {
            let read = Mailbox<Bool>()
            let received = Mailbox<String>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade(extensions: Self.upstreamAgreement.headerValue)
                guard read.take(timeout: 60) != nil else { return }
                let problem = try Self.readAll(peer.connection, DeflateTestCodec(Self.upstreamAgreement, as: .server),
                                               opcode: Opcode.text)
                received.put(problem ?? "all")
                let (close, _) = try peer.connection.readClose(timeout: 30)
                try peer.connection.send(opcode: Opcode.close, close.payload)
            }
            let (gateway, port) = try Self.startGateway(upstream: upstream)
            let client = try Self.openClient(port: port)
            usleep(200_000)
            let baseline = try gateway.residentKilobytes()

            let sent = Atomic<Int>(0)
            let sender = Mailbox<String>()
            Thread.detachNewThread {
                let codec = DeflateTestCodec(Self.clientAgreement, as: .client)
                do {
                    for index in 0..<Self.messages {
                        try client.send(opcode: Opcode.text, codec.compress(Self.message(index)), rsv: 0x40, timeout: 120)
                        sent.add(1, ordering: .relaxed)
                    }
                    sender.put("sent")
                } catch {
                    sender.put("\(error)")
                }
            }
            let peak = try Integration.SlowReader.peakResidentOnceStalled(gateway, sent: sent)
            let stuckAt = sent.load(ordering: .relaxed)
            #expect(stuckAt < Self.messages, "the client could send everything: nothing pushed back")
            #expect(peak - baseline <= 8 * 1024, "RSS grew from \(baseline) KiB to \(peak) KiB with 64 KiB buffers")

            read.put(true)
            #expect(received.take(timeout: 120) == "all")
            #expect(sender.take(timeout: 30) == "sent")
            #expect(try client.closeHandshake(timeout: 10).closeCode == 1000)
            #expect(upstream.failures.drain().isEmpty)
            gateway.send(signal: SIGTERM)
            #expect(gateway.waitForExit(timeout: 15) == 0, "\(gateway.output)")
        }

        @Test("terminate: a stalled client holds the gateway's memory while the upstream sends compressed messages; all arrive in order")
        func stalledClient() throws {
            let start = Mailbox<Bool>()
            let sent = Atomic<Int>(0)
            let done = Mailbox<String>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade(extensions: Self.upstreamAgreement.headerValue)
                guard start.take(timeout: 30) != nil else { return }
                let codec = DeflateTestCodec(Self.upstreamAgreement, as: .server)
                for index in 0..<Self.messages {
                    try peer.connection.send(opcode: Opcode.binary, codec.compress(Self.message(index)), rsv: 0x40,
                                             timeout: 120)
                    sent.add(1, ordering: .relaxed)
                }
                done.put("sent")
                let (close, _) = try peer.connection.readClose(timeout: 60)
                try peer.connection.send(opcode: Opcode.close, close.payload)
            }
            let (gateway, port) = try Self.startGateway(upstream: upstream)
            let client = try Self.openClient(port: port)
            usleep(200_000)
            let baseline = try gateway.residentKilobytes()

            start.put(true)
            let peak = try Integration.SlowReader.peakResidentOnceStalled(gateway, sent: sent)
            let stuckAt = sent.load(ordering: .relaxed)
            #expect(stuckAt < Self.messages, "the upstream could send everything: nothing pushed back")
            #expect(peak - baseline <= 8 * 1024, "RSS grew from \(baseline) KiB to \(peak) KiB with 64 KiB buffers")

            let problem = try Self.readAll(client, DeflateTestCodec(Self.clientAgreement, as: .client), opcode: Opcode.binary)
            #expect(problem == nil)
            #expect(done.take(timeout: 30) == "sent")
            #expect(try client.closeHandshake(timeout: 10).closeCode == 1000)
            #expect(upstream.failures.drain().isEmpty)
            gateway.send(signal: SIGTERM)
            #expect(gateway.waitForExit(timeout: 15) == 0, "\(gateway.output)")
        }
    }
}
