import CEpoll
import Glibc
import Synchronization

/// One thread's event loop: its own epoll instance, timer wheel and buffer pools.
///
/// Everything but `execute` and `stop` must be called on the loop's own thread; connections never
/// move between loops, so the data path needs no locks.
public final class EventLoop: @unchecked Sendable {
    public let index: Int
    public let timers: TimerWheel
    /// The loop's notion of now, refreshed once per wake-up (cheap to read on the hot path).
    public private(set) var nowMilliseconds: UInt64
    /// Per-loop state of higher layers (the gateway keeps its loop context here).
    public var context: AnyObject?

    private let epollFD: Int32
    private let wakeFD: Int32
    /// The handler of each registered fd, owned by this table: retained at `register`, and released
    /// only at the end of the loop turn in which it was forgotten (`retired`), so a handler whose event
    /// ends it is never freed while it runs. Events are delivered without retaining it again.
    private var handlers: [Unmanaged<EventHandler>?] = []
    private var retired: [Unmanaged<EventHandler>] = []
    /// Bumped when an fd is forgotten, so an event queued for a closed fd never reaches the
    /// handler that reused its number within the same epoll_wait batch.
    private var generations: [UInt32] = []
    private let tasks = Mutex<[@Sendable (EventLoop) -> Void]>([])
    private let stopping = Atomic<Bool>(false)
    private var pools: [Int: BufferPool] = [:]
    public private(set) var registeredCount = 0
    /// Wake-ups and events handled, for the per-loop load metrics.
    public private(set) var wakeups: UInt64 = 0
    public private(set) var eventsHandled: UInt64 = 0

    public init(index: Int) throws(IOError) {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw IOError("epoll_create1", errno: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw IOError("eventfd", errno: errno) }
        nowMilliseconds = monotonicMilliseconds()
        timers = TimerWheel(nowMilliseconds: nowMilliseconds)
        var ev = epoll_event()
        ev.events = Interest.read
        ev.data.u64 = UInt64(UInt32.max)
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &ev)
    }

    deinit {
        releaseRetired()
        for case let handler? in handlers { handler.release() }
        close(epollFD)
        close(wakeFD)
    }

    /// The pool of buffers of `size` bytes on this loop.
    public func bufferPool(size: Int) -> BufferPool {
        if let pool = pools[size] { return pool }
        let pool = BufferPool(bufferSize: size)
        pools[size] = pool
        return pool
    }

    public var buffersInUse: Int { pools.values.reduce(0) { $0 + $1.inUse } }

    public func register(fd: Int32, handler: EventHandler, interest: UInt32) throws(IOError) {
        let slot = Int(fd)
        if slot >= handlers.count {
            let grown = max(slot + 1, handlers.count * 2, 64)
            handlers.append(contentsOf: repeatElement(nil, count: grown - handlers.count))
            generations.append(contentsOf: repeatElement(0, count: grown - generations.count))
        }
        var ev = epoll_event()
        ev.events = interest
        ev.data.u64 = UInt64(generations[slot]) << 32 | UInt64(UInt32(fd))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &ev) == 0 else { throw IOError("epoll_ctl(ADD)", errno: errno) }
        if let stale = handlers[slot] {
            // Its descriptor was closed without `forget` and the number came back: it is let go as if forgotten.
            retired.append(stale)
        } else {
            registeredCount += 1
        }
        handlers[slot] = Unmanaged.passRetained(handler)
    }

    @inline(__always)
    public func modify(fd: Int32, interest: UInt32) {
        var ev = epoll_event()
        ev.events = interest
        ev.data.u64 = UInt64(generations[Int(fd)]) << 32 | UInt64(UInt32(fd))
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &ev)
    }

    /// Forgets `fd` before the caller closes it (closing removes it from epoll; no extra system call).
    public func forget(fd: Int32) {
        let slot = Int(fd)
        guard slot < handlers.count, let handler = handlers[slot] else { return }
        retired.append(handler)
        handlers[slot] = nil
        generations[slot] &+= 1
        registeredCount -= 1
    }

    /// Stops watching `fd` without closing it (a listener paused for back-off keeps its socket).
    public func unwatch(fd: Int32) {
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        forget(fd: fd)
    }

    public func schedule(afterMilliseconds ms: UInt64, target: any TimerTarget, kind: Int32) -> TimerID {
        // The wheel counts from the start of this turn: add the time the turn has taken so far, so a long
        // turn (thousands of accepts) does not shorten the timers scheduled late in it.
        timers.schedule(afterMilliseconds: ms &+ (monotonicMilliseconds() &- nowMilliseconds), target: target, kind: kind)
    }

    /// Cancels `id` if it is scheduled. A connection ends with most of its timers never set; for those the
    /// wheel is not touched (nor retained for the call, which a caller holding the loop unowned pays).
    public func cancel(_ id: inout TimerID) {
        guard id.isScheduled else { return }
        timers.cancel(&id)
    }

    /// Runs `task` on this loop's thread soon. Safe from any thread.
    public func execute(_ task: @escaping @Sendable (EventLoop) -> Void) {
        tasks.withLock { $0.append(task) }
        wake()
    }

    /// Makes `run` return after the current turn. Safe from any thread.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// Runs until `stop`.
    public func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !stopping.load(ordering: .acquiring) {
            let timeout = timers.waitMilliseconds(nowMilliseconds: monotonicMilliseconds())
            let n = epoll_wait(epollFD, events, Int32(capacity), timeout)
            nowMilliseconds = monotonicMilliseconds()
            wakeups &+= 1
            // Before the handlers, so timers they schedule count from now, not from the last turn
            // (which, on a loop idle without timers, may be arbitrarily long ago).
            timers.advance(toMilliseconds: nowMilliseconds)
            if n > 0 {
                for i in 0..<Int(n) {
                    let data = events[i].data.u64
                    if data == UInt64(UInt32.max) {
                        runTasks()
                        continue
                    }
                    let fd = Int32(truncatingIfNeeded: data & 0xFFFF_FFFF)
                    let slot = Int(fd)
                    guard slot < handlers.count, generations[slot] == UInt32(truncatingIfNeeded: data >> 32),
                          let handler = handlers[slot] else { continue }
                    eventsHandled &+= 1
                    handler._withUnsafeGuaranteedRef { $0.handleEvent(fd: fd, events: events[i].events) }
                }
            }
            // Also after a turn of timers alone: a loop whose connections all time out holds none of them.
            releaseRetired()
        }
        runTasks()
        releaseRetired()
    }

    /// Lets go of the handlers forgotten during the last turn (timers and events), now that none of them runs.
    private func releaseRetired() {
        guard !retired.isEmpty else { return }
        for handler in retired { handler.release() }
        retired.removeAll(keepingCapacity: true)
    }

    private func runTasks() {
        var counter: UInt64 = 0
        _ = Glibc.read(wakeFD, &counter, 8)
        let pending = tasks.withLock { queue -> [@Sendable (EventLoop) -> Void] in
            let taken = queue
            queue.removeAll()
            return taken
        }
        for task in pending { task(self) }
    }
}
