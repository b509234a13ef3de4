import WSIO

/// Starts churn cycles at a fixed rate (`--rate`), one loop's share of it: connections that finished a
/// cycle wait in line, and the first in line starts at each turn, `intervalNanoseconds` apart on the
/// monotonic clock. An open loop: the target sees the same rate however fast it answers. The turns come
/// from a timerfd, not the loop's 10 ms timer wheel, so connections arrive one by one rather than a tick's
/// worth at once. A turn that found nobody waiting is not made up later.
final class BenchPacer: EventHandler {
    private let timer: PreciseTimer
    private let intervalNanoseconds: UInt64
    private let signals: BenchSignals
    /// A ring as long as the loop has connections: each waits at most once at a time.
    private var line: [BenchConnection?]
    private var first = 0
    private var waiting = 0
    private var nextTurnAt: UInt64 = 0
    private var armed = false

    init(loop: EventLoop, intervalNanoseconds: UInt64, connections: Int, signals: BenchSignals) throws(IOError) {
        timer = try PreciseTimer()
        self.intervalNanoseconds = intervalNanoseconds
        self.signals = signals
        line = Array(repeating: nil, count: connections)
        super.init()
        try loop.register(fd: timer.fd, handler: self, interest: Interest.read)
    }

    /// `connection` finished a cycle: it starts at the next turn nobody else waits for.
    func enqueue(_ connection: BenchConnection) {
        if waiting == 0 { nextTurnAt = max(nextTurnAt, monotonicNanoseconds()) }
        line[(first + waiting) % line.count] = connection
        waiting += 1
        if !armed {
            armed = true
            timer.arm(atNanoseconds: nextTurnAt)
        }
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        timer.clear()
        armed = false
        // The run is over: whoever waits stays stopped, as a connection ending its cycle then would.
        guard signals.phase != .done else { return }
        let now = monotonicNanoseconds()
        while waiting > 0 && nextTurnAt <= now {
            let connection = line[first]
            line[first] = nil
            first = (first + 1) % line.count
            waiting -= 1
            nextTurnAt &+= intervalNanoseconds
            connection?.start()
        }
        if waiting > 0 {
            armed = true
            timer.arm(atNanoseconds: nextTurnAt)
        }
    }
}
