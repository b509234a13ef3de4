import Foundation
import Glibc
import Testing

extension Integration.Chaos {
    @Suite struct ConnectionChurn {
        static let cycles = 100_000
        static let threads = 8

        /// Each cycle is a whole connection: TCP connect, upgrade, one echoed message, close handshake.
        /// Afterwards the gateway must hold no more descriptors than before, and its resident memory may
        /// only have grown by allocator arenas and pool buffers kept for reuse (bounded, not per cycle).
        @Test("100,000 connection cycles: open descriptors back to baseline, memory growth bounded")
        func hundredThousandCycles() throws {
            let pair = try ProxiedEcho(workers: 2)
            let port = pair.port
            // Warm-up: the first connections fill pools and arenas that then stay.
            #expect(onThreads(Self.threads) { _ in for _ in 0..<200 { try Self.cycle(port: port) } }.isEmpty)
            usleep(300_000)
            let filesBefore = ProcessProbe.openFiles(pair.proxy.pid)
            let memoryBefore = try pair.proxy.residentKilobytes()
            let started = Deadline.now()
            let errors = onThreads(Self.threads) { _ in
                for _ in 0..<(Self.cycles / Self.threads) { try Self.cycle(port: port) }
            }
            let elapsed = Deadline.now() - started
            #expect(errors.isEmpty, "\(errors.prefix(5))")
            let settled = ProcessProbe.wait(timeout: 10) { ProcessProbe.openFiles(pair.proxy.pid) <= filesBefore }
            let filesAfter = ProcessProbe.openFiles(pair.proxy.pid)
            let memoryAfter = try pair.proxy.residentKilobytes()
            print("connection churn: \(Self.cycles) cycles in \(String(format: "%.1f", elapsed)) s; open files \(filesBefore) → \(filesAfter); VmRSS \(memoryBefore) → \(memoryAfter) KiB")
            #expect(settled, "open files \(filesBefore) before, \(filesAfter) after")
            #expect(memoryAfter - memoryBefore < 8_192, "VmRSS grew from \(memoryBefore) to \(memoryAfter) KiB")
        }

        static func cycle(port: UInt16) throws {
            let client = try WSTestConnection.open(port: port, path: "/churn")
            try client.sendText("cycle")
            guard try client.readMessage().text == "cycle" else { throw TestSocketError(description: "wrong echo") }
            try client.closeHandshake()
        }
    }
}
