import Foundation
import Glibc
import Testing
import WSIO

extension Integration {
    /// Thousands of clients that start a request head and never finish it, against the `wsgate` binary.
    @Suite struct EdgeSlowloris {
        static let connections = 5_000
        static let threads = 8
        static let handshakeTimeout = 2.0

        /// A client socket that sent part of a request head and then nothing.
        struct Stalled: Sendable {
            let fd: Int32
            /// When the connect completed (`Deadline.now()`); the gateway's deadline starts at its accept, later.
            let connectedAt: Double
        }

        @Test("5,000 stalled request heads: a normal client still echoes within 1 s; all are cut at the 2 s deadline")
        func stalledHeads() throws {
            TestEnvironment.raiseFileLimit()
            try #require(TestEnvironment.fileLimit >= Self.connections + 500, "open-file limit \(TestEnvironment.fileLimit)")
            let port = try TestEnvironment.freePort()
            let echoPort = try TestEnvironment.freePort()
            let config = try TemporaryConfig("""
                {"workers": 2, "listeners": [{"name": "main", "address": "127.0.0.1:\(port)"}],
                 "defaults": {"handshake_timeout": \(Self.handshakeTimeout)},
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/"}],
                 "builtin_echo": "127.0.0.1:\(echoPort)"}
                """)
            let gateway = try GatewayProcess(arguments: ["run", "--config", config.path], readyPort: port)
            usleep(100_000)
            let baseline = try Self.openDescriptors(gateway.pid)

            let batches = Mailbox<Result<[Stalled], TestSocketError>>()
            for _ in 0..<Self.threads {
                Thread.detachNewThread { batches.put(Self.openStalled(count: Self.connections / Self.threads, port: port)) }
            }
            var stalled: [Stalled] = []
            var problems: [String] = []
            for _ in 0..<Self.threads {
                switch batches.take(timeout: 60) {
                case .success(let batch): stalled += batch
                case .failure(let error): problems.append(error.description)
                case nil: problems.append("an opening thread did not finish")
                }
            }
            defer { for connection in stalled { close(connection.fd) } }
            #expect(problems.isEmpty, "\(problems)")
            try #require(stalled.count == Self.connections)
            // Connects complete in the kernel before the gateway accepts: give its loops a moment to catch up.
            let catchUp = Deadline.after(1)
            var held = try Self.openDescriptors(gateway.pid) - baseline
            while held < Self.connections && !catchUp.passed {
                usleep(10_000)
                held = try Self.openDescriptors(gateway.pid) - baseline
            }
            #expect(held >= Self.connections, "the gateway holds \(held) descriptors for \(Self.connections) stalled clients")

            let started = Deadline.now()
            let client = try WSTestConnection.open(port: port, path: "/echo", timeout: 2)
            try client.sendText("still served")
            #expect(try client.readMessage(timeout: 2).text == "still served")
            let served = Deadline.now() - started
            #expect(served < 1, "a normal client took \(served) s among the stalled ones")
            #expect(try client.closeHandshake().closeCode == 1000)

            let endings = Self.waitForEnds(stalled, timeout: Self.handshakeTimeout + 10)
            #expect(endings.answered == 0, "\(endings.answered) stalled clients got bytes instead of a plain close")
            #expect(endings.open == 0, "\(endings.open) stalled clients were never closed")
            #expect(endings.earliest >= Self.handshakeTimeout - 0.1, "a stalled client was cut after \(endings.earliest) s")
            #expect(endings.latest <= Self.handshakeTimeout + 4, "a stalled client was cut only after \(endings.latest) s")

            let settle = Deadline.after(3)
            var left = try Self.openDescriptors(gateway.pid)
            while left > baseline + 5 && !settle.passed {
                usleep(20_000)
                left = try Self.openDescriptors(gateway.pid)
            }
            #expect(left <= baseline + 5, "the gateway holds \(left) descriptors, \(baseline) before the attack")
        }

        /// Opens `count` connections that each send the start of a request head, then stall.
        static func openStalled(count: Int, port: UInt16) -> Result<[Stalled], TestSocketError> {
            let partialHead = Array("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".utf8)
            let address = SocketAddress(host: "127.0.0.1", port: port)!
            var opened: [Stalled] = []
            opened.reserveCapacity(count)
            for index in 0..<count {
                let fd: Int32
                do {
                    fd = try Socket.connect(to: address)
                } catch {
                    opened.forEach { close($0.fd) }
                    return .failure(TestSocketError(description: "connection \(index): \(error)"))
                }
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&entry, 1, 10_000) == 1 && Socket.pendingError(fd) == 0
                let sent = ready && partialHead.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == partialHead.count
                guard sent else {
                    close(fd)
                    opened.forEach { close($0.fd) }
                    return .failure(TestSocketError(description: "connection \(index) could not connect and send"))
                }
                opened.append(Stalled(fd: fd, connectedAt: Deadline.now()))
            }
            return .success(opened)
        }

        /// How the stalled connections ended: seconds from connect to end of stream (or reset), how many
        /// got bytes first, and how many were still open at the deadline.
        static func waitForEnds(_ connections: [Stalled], timeout: Double) -> (earliest: Double, latest: Double, answered: Int, open: Int) {
            var pending = connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            var connectedAt = Dictionary(uniqueKeysWithValues: connections.map { ($0.fd, $0.connectedAt) })
            var earliest = Double.infinity, latest = 0.0, answered = 0
            var scratch = [UInt8](repeating: 0, count: 4096)
            let deadline = Deadline.after(timeout)
            while !pending.isEmpty && !deadline.passed {
                guard poll(&pending, nfds_t(pending.count), 100) > 0 else { continue }
                let now = Deadline.now()
                pending.removeAll { entry in
                    guard entry.revents != 0 else { return false }
                    let n = scratch.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if n > 0 { answered += 1 }
                    if n < 0 && errno == EAGAIN { return false }
                    let elapsed = now - connectedAt.removeValue(forKey: entry.fd)!
                    earliest = min(earliest, elapsed)
                    latest = max(latest, elapsed)
                    return true
                }
            }
            return (earliest, latest, answered, pending.count)
        }

        /// Descriptors open in process `pid`.
        static func openDescriptors(_ pid: Int32) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        }
    }
}
