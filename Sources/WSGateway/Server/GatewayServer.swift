import Glibc
import Synchronization
import WSIO

/// The running gateway: one event loop per worker, each with its own listeners and connections.
public final class GatewayServer: @unchecked Sendable {
    public let group: EventLoopGroup
    private let current: Mutex<GatewayRuntime>
    /// The runtime new connections are served by.
    public var runtime: GatewayRuntime { current.withLock { $0 } }
    private var contexts: [LoopContext] = []
    /// Connections alive on all loops, for the shutdown drain.
    let liveConnections = Atomic<Int>(0)
    /// Set by `beginShutdown`: from then on the gateway is no longer ready (`/readyz` answers 503).
    private let shutdownBegun = Atomic<Bool>(false)
    /// When the server was created, on the monotonic clock and in seconds since the Unix epoch.
    public let startedAtMilliseconds = monotonicMilliseconds()
    public let startedAtUnixSeconds = ProcessStats.unixTimeSeconds()

    /// Creates a context on every loop and opens every listener there (SO_REUSEPORT), so a port
    /// that cannot be bound fails here, before anything runs.
    public init(runtime: GatewayRuntime, group: EventLoopGroup) throws(GatewayError) {
        self.current = Mutex(runtime)
        self.group = group
        var addresses = runtime.listeners.map(\.address)
        for loop in group.loops {
            let context = LoopContext(loop: loop, runtime: runtime, server: self)
            loop.context = context
            try context.openListeners(at: addresses)
            addresses = context.listeners.map(\.boundAddress)
            contexts.append(context)
        }
    }

    /// Where each listener is bound (ports resolved when 0 was configured).
    public var boundAddresses: [(name: String, address: SocketAddress)] {
        contexts.first?.listeners.map { ($0.name, $0.boundAddress) } ?? []
    }

    public var connectionCount: Int { liveConnections.load(ordering: .relaxed) }

    /// Swaps in a new runtime on every loop (see `LoopContext.apply`).
    public func apply(_ new: GatewayRuntime, graceMilliseconds: UInt64) {
        current.withLock { $0 = new }
        for loop in group.loops {
            loop.execute { loop in (loop.context as? LoopContext)?.apply(new, graceMilliseconds: graceMilliseconds) }
        }
    }

    /// True once `beginShutdown` ran.
    public var isShuttingDown: Bool { shutdownBegun.load(ordering: .relaxed) }

    /// Stops accepting and sends every client close 1001; connections then finish their close
    /// handshakes on their own loops.
    public func beginShutdown() {
        shutdownBegun.store(true, ordering: .relaxed)
        for loop in group.loops {
            loop.execute { loop in (loop.context as? LoopContext)?.beginShutdown() }
        }
    }

    /// Begins shutdown and waits until every connection is gone or `drainMilliseconds` passed;
    /// a second termination signal cuts the wait short. Returns the connections left.
    public func drain(milliseconds drainMilliseconds: UInt64) -> Int {
        beginShutdown()
        let deadline = monotonicMilliseconds() + drainMilliseconds
        while connectionCount > 0 && monotonicMilliseconds() < deadline {
            if let signal = Signals.wait(milliseconds: 20), signal != SIGHUP { break }
        }
        return connectionCount
    }
}
