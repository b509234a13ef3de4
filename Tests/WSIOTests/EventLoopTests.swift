import Glibc
import Synchronization
import Testing
@testable import WSIO

private final class Collector: EventHandler, @unchecked Sendable {
    let received = Mutex<[UInt8]>([])
    override func handleEvent(fd: Int32, events: UInt32) {
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 { received.withLock { $0.append(byte) } }
    }
}

/// Counts its events and reads one byte per event, leaving the rest for later.
private final class OneByteReader: EventHandler, @unchecked Sendable {
    let events = Atomic<Int>(0)
    override func handleEvent(fd: Int32, events: UInt32) {
        var byte: UInt8 = 0
        _ = read(fd, &byte, 1)
        self.events.add(1, ordering: .relaxed)
    }
}

/// What happened to `SelfEndingHandler`s, in order.
private final class Journal: Sendable {
    let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
}

/// Ends itself on its first event, as a finished connection does: forgets and closes its descriptor,
/// dropping the loop's reference to it, then still uses its own state.
private final class SelfEndingHandler: EventHandler, @unchecked Sendable {
    unowned let loop: EventLoop
    let journal: Journal
    let name: String

    init(loop: EventLoop, journal: Journal, name: String) {
        self.loop = loop
        self.journal = journal
        self.name = name
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        loop.forget(fd: fd)
        close(fd)
        journal.add("handled \(name)")
    }

    deinit { journal.add("released") }
}

/// Records its release, and nothing else.
private final class Idle: EventHandler, @unchecked Sendable {
    let journal: Journal
    init(journal: Journal) { self.journal = journal }
    deinit { journal.add("released") }
}

@Suite struct EventLoopTests {
    /// A descriptor closed without `forget` whose number comes back: the new registration takes the slot
    /// and the old handler is let go at the end of the loop's turn, not leaked.
    @Test func aReusedDescriptorLetsItsStaleHandlerGo() throws {
        let group = try EventLoopGroup(count: 1)
        let loop = group.loops[0]
        let journal = Journal()
        var first: [Int32] = [0, 0]
        var second: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &first) == 0)
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &second) == 0)
        let reused = first[0]
        try loop.register(fd: reused, handler: Idle(journal: journal), interest: Interest.read)
        // The number now names another socket, as after a close and an accept that got the same number.
        #expect(dup2(second[0], reused) == reused)
        close(second[0])
        let current = Idle(journal: journal)
        try loop.register(fd: reused, handler: current, interest: Interest.read)
        #expect(loop.registeredCount == 1)
        group.start()
        group.stop()
        group.join()
        #expect(journal.entries.withLock { $0 } == ["released"])
        loop.forget(fd: reused)
        close(reused)
        close(first[1])
        close(second[1])
    }

    /// The loop calls handlers unretained: one forgotten by its own event must live until the whole batch
    /// of events is delivered, then be released (neither freed while it runs nor leaked).
    @Test func handlerForgottenByItsOwnEventLivesUntilTheBatchEnds() throws {
        let group = try EventLoopGroup(count: 1)
        let loop = group.loops[0]
        let journal = Journal()
        var peers: [Int32] = []
        for name in ["a", "b"] {
            var fds: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
            try loop.register(fd: fds[0], handler: SelfEndingHandler(loop: loop, journal: journal, name: name),
                              interest: Interest.read)
            var byte: UInt8 = 1
            #expect(write(fds[1], &byte, 1) == 1)
            peers.append(fds[1])
        }
        defer { for fd in peers { close(fd) } }
        // Both are readable before the loop starts, so one epoll_wait reports them together.
        group.start()
        let deadline = monotonicMilliseconds() + 2_000
        while journal.entries.withLock({ $0.count }) < 4 && monotonicMilliseconds() < deadline { usleep(1_000) }
        group.stop()
        group.join()
        let entries = journal.entries.withLock { $0 }
        #expect(entries.count == 4)
        #expect(Set(entries.prefix(2)) == ["handled a", "handled b"])
        #expect(Array(entries.suffix(2)) == ["released", "released"])
        #expect(loop.registeredCount == 0)
    }

    /// What the relay's edge-triggered sockets rely on: unread bytes are reported once, not again until
    /// more arrive, and re-registering the same interest reports them again.
    @Test func edgeTriggeredReadinessIsReportedOnceAndAgainOnModify() throws {
        let group = try EventLoopGroup(count: 1)
        let loop = group.loops[0]
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let reader = OneByteReader()
        let interest = Interest.read | Interest.edgeTriggered
        let watched = fds[0]
        try loop.register(fd: watched, handler: reader, interest: interest)
        group.start()
        defer {
            group.stop()
            group.join()
        }
        func settle(at least: Int) -> Int {
            let deadline = monotonicMilliseconds() + 2_000
            while reader.events.load(ordering: .relaxed) < least && monotonicMilliseconds() < deadline { usleep(1_000) }
            // A level-triggered registration would be reported thousands of times in this pause.
            usleep(100_000)
            return reader.events.load(ordering: .relaxed)
        }
        var bytes: [UInt8] = [1, 2, 3, 4]
        #expect(write(fds[1], &bytes, 3) == 3)
        #expect(settle(at: 1) == 1)
        loop.execute { $0.modify(fd: watched, interest: interest) }
        #expect(settle(at: 2) == 2)
        #expect(write(fds[1], &bytes, 1) == 1)
        #expect(settle(at: 3) == 3)
        var left = [UInt8](repeating: 0, count: 8)
        #expect(read(fds[0], &left, 8) == 1)
    }

    @Test func deliversReadinessAndRunsTasksFromOtherThreads() throws {
        let group = try EventLoopGroup(count: 1)
        let loop = group.loops[0]
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        let collector = Collector()
        try loop.register(fd: fds[0], handler: collector, interest: Interest.read)
        let ran = Atomic<Int>(0)
        group.start()
        loop.execute { _ in ran.add(1, ordering: .relaxed) }
        var bytes: [UInt8] = [1, 2, 3]
        #expect(write(fds[1], &bytes, 3) == 3)
        let deadline = monotonicMilliseconds() + 2_000
        while (collector.received.withLock { $0.count } < 3 || ran.load(ordering: .relaxed) == 0)
            && monotonicMilliseconds() < deadline {
            usleep(1_000)
        }
        group.stop()
        group.join()
        #expect(collector.received.withLock { $0 } == [1, 2, 3])
        #expect(ran.load(ordering: .relaxed) == 1)
        close(fds[0])
        close(fds[1])
    }

    @Test func bufferPoolReusesAndCapsItsFreeList() {
        let pool = BufferPool(bufferSize: 4096, maxFree: 2)
        let a = pool.acquire()
        let b = pool.acquire()
        let c = pool.acquire()
        #expect(pool.inUse == 3)
        pool.release(a)
        pool.release(b)
        pool.release(c)
        #expect(pool.inUse == 0)
        let again = pool.acquire()
        #expect(again == b || again == a)
        pool.release(again)
    }

    @Test func socketAddressParsesAndPrints() {
        #expect(SocketAddress(parsing: "127.0.0.1:8080")?.description == "127.0.0.1:8080")
        #expect(SocketAddress(parsing: "[::1]:443")?.description == "[::1]:443")
        #expect(SocketAddress(parsing: "localhost:80")?.host == "127.0.0.1")
        #expect(SocketAddress(parsing: "example.com:80") == nil)
        #expect(SocketAddress(parsing: "127.0.0.1") == nil)
    }
}
