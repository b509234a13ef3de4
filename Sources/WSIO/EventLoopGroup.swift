import CEpoll
import Glibc

/// N event loops, one per thread (by default one per core).
public final class EventLoopGroup: @unchecked Sendable {
    public let loops: [EventLoop]
    private var threads: [pthread_t] = []

    public init(count: Int) throws(IOError) {
        var loops: [EventLoop] = []
        for i in 0..<max(1, count) { loops.append(try EventLoop(index: i)) }
        self.loops = loops
    }

    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Starts every loop on its own thread; `setUp` runs first on each loop's thread.
    public func start(setUp: @escaping @Sendable (EventLoop) -> Void = { _ in }) {
        for loop in loops {
            let box = Unmanaged.passRetained(ThreadStart(loop: loop, setUp: setUp))
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
                start.setUp(start.loop)
                start.loop.run()
                return nil
            }, box.toOpaque())
            precondition(rc == 0, "pthread_create failed: \(rc)")
            threads.append(thread)
        }
    }

    public func stop() {
        for loop in loops { loop.stop() }
    }

    public func join() {
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }
}

private final class ThreadStart: @unchecked Sendable {
    let loop: EventLoop
    let setUp: @Sendable (EventLoop) -> Void
    init(loop: EventLoop, setUp: @escaping @Sendable (EventLoop) -> Void) {
        self.loop = loop
        self.setUp = setUp
    }
}
