import Foundation
import Synchronization
import WSGateway
import WSIO

/// Runs `body(threadIndex)` on `count` real threads released together, and waits for all of them.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let gate = StartGate()
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            gate.waitUntilOpen()
            body(index)
            group.leave()
        }
        thread.start()
    }
    gate.open()
    group.wait()
}

/// Holds threads back until every one exists, so they contend instead of running one after another.
final class StartGate: Sendable {
    private let isOpen = Atomic<Bool>(false)

    func open() { isOpen.store(true, ordering: .releasing) }

    func waitUntilOpen() {
        while !isOpen.load(ordering: .acquiring) { sched_yield() }
    }
}

/// A thread-safe list, for collecting what threads produced.
final class SharedList<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    func append(_ item: Element) { items.withLock { $0.append(item) } }

    var all: [Element] { items.withLock { $0 } }
}

/// A socket address from a literal the test knows is valid.
func address(_ host: String, port: UInt16 = 0) -> SocketAddress {
    SocketAddress(host: host, port: port)!
}

/// The per-IP key of `host` at full length.
func ipKey(_ host: String, ipv4Prefix: Int = 32, ipv6Prefix: Int = 128) -> IPAddressKey {
    IPAddressKey(address(host), ipv4Prefix: ipv4Prefix, ipv6Prefix: ipv6Prefix)!
}

/// Limits with one listener and one route and the given counts.
func connectionLimits(
    global: Int = 0, perIP: Int = 0, listener: Int = 0, route: Int = 0, perIdentity: Int = 0,
    ipv4Prefix: Int = 32, ipv6Prefix: Int = 128
) -> ConnectionLimits {
    var limits = GlobalLimits()
    limits.maxConnections = global
    limits.maxConnectionsPerIP = perIP
    limits.ipv4Prefix = ipv4Prefix
    limits.ipv6Prefix = ipv6Prefix
    return ConnectionLimits(
        global: limits, listenerMaxConnections: [listener], routeMaxConnections: [route],
        routeMaxConnectionsPerIdentity: [perIdentity])
}

extension ConnectionAdmission {
    /// The lease when admitted.
    var lease: ConnectionLease? {
        if case .admitted(let lease) = self { return lease }
        return nil
    }

    /// The refusing limit when rejected.
    var rejection: LimitKind? {
        if case .rejected(let kind) = self { return kind }
        return nil
    }
}
