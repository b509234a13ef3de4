import Glibc

/// Accepts connections on one loop's SO_REUSEPORT socket and hands each to `onAccept`.
///
/// When the process runs out of descriptors (EMFILE/ENFILE) it stops watching the socket for a
/// short back-off instead of spinning on a readiness it cannot serve, and logs at most once a second.
public final class Listener: EventHandler, TimerTarget {
    public let name: String
    public let address: SocketAddress
    public let fd: Int32
    private unowned let loop: EventLoop
    private let onAccept: (Int32, SocketAddress) -> Void
    private var backoff = TimerID.none
    private var lastExhaustionLog: UInt64 = 0
    public private(set) var accepted: UInt64 = 0
    public private(set) var exhaustionEvents: UInt64 = 0
    private static let acceptsPerWakeup = 64
    private static let backoffMilliseconds: UInt64 = 100

    /// `deferAcceptSeconds`: see `Socket.listen`.
    public init(name: String, address: SocketAddress, loop: EventLoop, deferAcceptSeconds: Int32 = 0,
                onAccept: @escaping (Int32, SocketAddress) -> Void) throws(IOError) {
        self.name = name
        self.address = address
        self.loop = loop
        self.onAccept = onAccept
        fd = try Socket.listen(on: address, deferAcceptSeconds: deferAcceptSeconds)
        super.init()
        do {
            try loop.register(fd: fd, handler: self, interest: Interest.read)
        } catch {
            close(fd)
            throw error
        }
    }

    /// The address actually bound (tells the port when 0 was asked for).
    public var boundAddress: SocketAddress { Socket.localAddress(fd) }

    public override func handleEvent(fd: Int32, events: UInt32) {
        var peer = SocketAddress()
        for _ in 0..<Self.acceptsPerWakeup {
            do {
                guard let client = try Socket.accept(fd, peer: &peer) else { return }
                accepted &+= 1
                onAccept(client, peer)
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE || error.errno == ENOBUFS || error.errno == ENOMEM {
                    pauseForExhaustion(error)
                } else {
                    Log.warn("accept_failed", ["listener": .string(name), "error": .string(error.description)])
                }
                return
            }
        }
    }

    private func pauseForExhaustion(_ error: IOError) {
        exhaustionEvents &+= 1
        if loop.nowMilliseconds &- lastExhaustionLog >= 1000 {
            lastExhaustionLog = loop.nowMilliseconds
            Log.warn("accept_paused", ["listener": .string(name), "error": .string(error.description),
                                       "backoff_ms": .int(Int(Self.backoffMilliseconds))])
        }
        loop.unwatch(fd: fd)
        backoff = loop.schedule(afterMilliseconds: Self.backoffMilliseconds, target: self, kind: 0)
    }

    public func timerFired(kind: Int32) {
        backoff = .none
        do {
            try loop.register(fd: fd, handler: self, interest: Interest.read)
        } catch {
            Log.error("listener_resume_failed", ["listener": .string(name), "error": .string(error.description)])
        }
    }

    /// Stops accepting and closes the socket.
    public func shutdown() {
        loop.cancel(&backoff)
        loop.unwatch(fd: fd)
        close(fd)
    }
}
