import WSIO

/// Starts work at a fixed rate (`--rate`), one loop's share of it: connections ready for work (a churn
/// cycle ended, or a load connection has room for another message in flight) wait in line, and the first
/// in line takes each turn, `intervalNanoseconds` apart on the monotonic clock. An open loop: the target
/// sees the same rate however fast it answers, so latencies of different targets compare at equal load.
/// The turns come from a timerfd, not the loop's 10 ms timer wheel, so work arrives a piece or a few at a
/// time rather than a tick's worth at once. The timer fires at most every `minimumWakeGap`: a wake-up per
/// message cost the bench 23 µs per message at 40,000 a second on a 2-core VM, against 8.5 µs with wake-ups
/// 250 µs apart (which sends about ten messages per wake-up at that rate).
/// A turn that found nobody waiting is not made up later.
final class BenchPacer: EventHandler {
    private let timer: PreciseTimer
    private let intervalNanoseconds: UInt64
    private let signals: BenchSignals
    /// A ring as long as the loop has connections: each waits at most once at a time (`awaitsTurn`).
    private var line: [BenchConnection?]
    private var first = 0
    private var waiting = 0
    private var nextTurnAt: UInt64 = 0
    private var lastWakeAt: UInt64 = 0
    private var armed = false
    private static let minimumWakeGap: UInt64 = 250_000

    init(loop: EventLoop, intervalNanoseconds: UInt64, connections: Int, signals: BenchSignals) throws(IOError) {
        timer = try PreciseTimer()
        self.intervalNanoseconds = intervalNanoseconds
        self.signals = signals
        line = Array(repeating: nil, count: connections)
        super.init()
        try loop.register(fd: timer.fd, handler: self, interest: Interest.read)
    }

    /// `connection` is ready for work: it takes the next turn nobody else waits for.
    func enqueue(_ connection: BenchConnection) {
        guard !connection.awaitsTurn else { return }
        connection.awaitsTurn = true
        if waiting == 0 { nextTurnAt = max(nextTurnAt, monotonicNanoseconds()) }
        line[(first + waiting) % line.count] = connection
        waiting += 1
        if !armed {
            armed = true
            armWake()
        }
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        timer.clear()
        // The run is over: whoever waits stays idle, as a connection ending its cycle then would.
        guard signals.phase != .done else {
            armed = false
            return
        }
        // Still counted as armed while turns run, so a connection lining up again from its turn does not
        // set the timer once more; it is set once below.
        let now = monotonicNanoseconds()
        lastWakeAt = now
        while waiting > 0 && nextTurnAt <= now {
            let connection = line[first]!
            line[first] = nil
            first = (first + 1) % line.count
            waiting -= 1
            nextTurnAt &+= intervalNanoseconds
            connection.awaitsTurn = false
            connection.takeTurn(at: now)
        }
        armed = waiting > 0
        if armed { armWake() }
    }

    private func armWake() {
        timer.arm(atNanoseconds: max(nextTurnAt, lastWakeAt &+ Self.minimumWakeGap))
    }
}
