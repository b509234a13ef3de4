import Foundation
import Glibc
import Testing

extension Integration {
    /// Failures around a running `wsgate` process: upstreams that die or stall, clients that vanish, file
    /// descriptors that run out, and connection churn; the process must keep serving and give back what
    /// it took.
    @Suite struct Chaos {}
}

/// A `wsgate proxy` in front of a `wsgate echo`, each its own process on a fixed free port.
struct ProxiedEcho {
    let echoPort: UInt16
    let port: UInt16
    var echo: GatewayProcess
    let proxy: GatewayProcess

    /// Starts both; `extra` are more `proxy` arguments (timeouts, limits).
    init(extra: [String] = [], workers: Int = 1) throws {
        echoPort = try ProxiedEcho.portBelowEphemeralRange()
        echo = try ProxiedEcho.startEcho(port: echoPort)
        port = try TestEnvironment.freePort()
        proxy = try GatewayProcess(arguments: ["proxy", "--from", "127.0.0.1:\(port)", "--to", "ws://127.0.0.1:\(echoPort)/",
                                               "--workers", "\(workers)"] + extra, readyPort: port)
    }

    /// A free port below the kernel's ephemeral range. The echo is restarted on its port, which must not
    /// have been taken meanwhile as the local port of some outgoing connection (bind would then fail).
    static func portBelowEphemeralRange() throws -> UInt16 {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? "32768"
        let ephemeralStart = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
        for _ in 0..<100 {
            let port = UInt16(Int.random(in: 10_000..<max(10_001, ephemeralStart)))
            // A plain bind, without the SO_REUSEPORT of wsgate's listeners, which would share a port in use.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if bound == 0 { return port }
        }
        throw TestSocketError(description: "no free port below \(ephemeralStart)")
    }

    static func startEcho(port: UInt16) throws -> GatewayProcess {
        try GatewayProcess(arguments: ["echo", "--listen", "127.0.0.1:\(port)", "--workers", "1"], readyPort: port)
    }

    /// Kills the echo at once (SIGKILL: no close frames, the kernel ends its connections).
    func killEcho() {
        echo.send(signal: SIGKILL)
        _ = echo.waitForExit(timeout: 5)
    }
}

/// What /proc says about a process.
enum ProcessProbe {
    /// Open file descriptors.
    static func openFiles(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// Lowers (or raises, up to the hard limit) a running process's open-file limit with prlimit(1).
    static func setFileLimit(_ pid: Int32, _ limit: Int) throws {
        let result = try runProcess("/usr/bin/prlimit", ["--pid", "\(pid)", "--nofile=\(limit):\(limit)"])
        guard result.status == 0 else {
            throw TestSocketError(description: "prlimit --nofile=\(limit) failed: \(result.errors)")
        }
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    static func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Deadline.after(timeout)
        while !condition() {
            if deadline.passed { return false }
            usleep(20_000)
        }
        return true
    }
}

/// Threads started together running `body(index)`; their errors are collected, not thrown.
final class ThreadGroup: Sendable {
    private let errors = Mailbox<String>()
    private let finished = Mailbox<Bool>()
    private let count: Int

    init(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) {
        self.count = count
        for index in 0..<count {
            Thread.detachNewThread { [errors, finished] in
                do { try body(index) } catch { errors.put("thread \(index): \(error)") }
                finished.put(true)
            }
        }
    }

    /// Waits for every thread; returns their errors (and one for threads still running at the timeout).
    func wait(timeout: Double) -> [String] {
        let deadline = Deadline.after(timeout)
        var done = 0
        while done < count, finished.take(timeout: max(0, deadline.remaining)) != nil { done += 1 }
        return errors.drain() + (done < count ? ["\(count - done) threads still running after \(timeout) s"] : [])
    }
}

/// Runs `body(index)` on `count` threads at once and waits for all; returns their errors.
func onThreads(_ count: Int, timeout: Double = 600, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    ThreadGroup(count, body).wait(timeout: timeout)
}
