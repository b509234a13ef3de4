import Foundation
import Glibc

/// A network namespace joined to this one by a veth pair, so a test can place a client "on another
/// machine" and then cut the link: the client's packets, its FIN included, never arrive.
///
/// Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and `ip`; `make()` throws where they are missing.
struct NetworkNamespace {
    let name: String
    let hostInterface: String
    /// The gateway listens here (the host end of the pair).
    let hostAddress: String

    /// Creates the namespace and a /30 link derived from this process's id (so parallel runs differ).
    static func make() throws -> NetworkNamespace {
        let pid = Int(getpid())
        let subnet = "10.\(128 + (pid >> 14) & 127).\((pid >> 6) & 255).\((pid & 63) << 2)"
        let prefix = subnet.split(separator: ".").dropLast().joined(separator: ".")
        let last = Int(subnet.split(separator: ".").last!)!
        let namespace = NetworkNamespace(name: "wsg\(pid)", hostInterface: "wsgh\(pid)", hostAddress: "\(prefix).\(last + 1)")
        let peer = "wsgn\(pid)"
        let inside = ["netns", "exec", namespace.name, "ip"]
        let steps: [[String]] = [
            ["netns", "add", namespace.name],
            ["link", "add", namespace.hostInterface, "type", "veth", "peer", "name", peer],
            ["link", "set", peer, "netns", namespace.name],
            ["addr", "add", "\(namespace.hostAddress)/30", "dev", namespace.hostInterface],
            ["link", "set", namespace.hostInterface, "up"],
            inside + ["addr", "add", "\(prefix).\(last + 2)/30", "dev", peer],
            inside + ["link", "set", peer, "up"],
        ]
        for step in steps {
            let result = try runProcess("/usr/sbin/ip", step)
            guard result.status == 0 else {
                namespace.remove()
                throw TestSocketError(description: "ip \(step.joined(separator: " ")): \(result.errors)")
            }
        }
        return namespace
    }

    /// Connects from inside the namespace (on a thread of its own that joins it; the socket stays there).
    func connect(port: UInt16) throws -> TestSocket {
        let result = Mailbox<Result<TestSocket, TestSocketError>>()
        let name = self.name
        let host = hostAddress
        Thread.detachNewThread {
            let namespaceFD = open("/var/run/netns/\(name)", O_RDONLY)
            defer { close(namespaceFD) }
            guard namespaceFD >= 0, NetworkNamespace.setns(namespaceFD, NetworkNamespace.newNetworkNamespace) == 0 else {
                result.put(.failure(TestSocketError(description: "setns into \(name) failed: errno \(errno)")))
                return
            }
            do {
                result.put(.success(try TestSocket.connect(port: port, host: host)))
            } catch {
                result.put(.failure(TestSocketError(description: "connect from \(name): \(error)")))
            }
        }
        guard let outcome = result.take(timeout: 15) else { throw TestSocketError(description: "connect from \(name) hung") }
        return try outcome.get()
    }

    /// Takes the host end of the link down: from now on nothing crosses it in either direction.
    func cut() throws {
        let result = try runProcess("/usr/sbin/ip", ["link", "set", hostInterface, "down"])
        guard result.status == 0 else { throw TestSocketError(description: "ip link set down: \(result.errors)") }
    }

    /// Deletes the link and the namespace (best effort: also used to clean up a half-made one).
    func remove() {
        _ = try? runProcess("/usr/sbin/ip", ["link", "del", hostInterface])
        _ = try? runProcess("/usr/sbin/ip", ["netns", "del", name])
    }

    /// CLONE_NEWNET from <sched.h>, which Swift's Glibc module does not import either.
    private static let newNetworkNamespace: Int32 = 0x4000_0000

    /// glibc's setns(2); Swift's Glibc module does not import it (it is declared only under _GNU_SOURCE).
    private static let setns: @convention(c) (Int32, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else { fatalError("no setns in libc") }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()
}
