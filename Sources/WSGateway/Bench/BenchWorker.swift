import WSIO
import WSProtocol

/// The bench's state on one event loop: its connections, mask keys and counters.
///
/// Connections start in a ramp of at most `BenchPlan.handshakeWindow` handshakes at a time, so opening
/// thousands of connections never overflows the server's accept queue (a dropped SYN costs a 1 s retry).
final class BenchWorker {
    unowned let loop: EventLoop
    let plan: BenchPlan
    let signals: BenchSignals
    let keys = MaskKeySource()
    let stats = BenchStats()
    private(set) var connections: [BenchConnection] = []
    /// Paces the messages or churn cycles of this loop's connections with `--rate`; nil without.
    private var pacer: BenchPacer?
    private var nextToStart = 0
    private var rampHandshakes = 0
    private var filling = false

    /// Creates the connections of the given global slot numbers (they pick the source addresses).
    init(loop: EventLoop, plan: BenchPlan, signals: BenchSignals, slots: [Int]) throws(IOError) {
        self.loop = loop
        self.plan = plan
        self.signals = signals
        connections = slots.map { slot in
            let source = plan.sourceAddresses.isEmpty ? nil : plan.sourceAddresses[slot % plan.sourceAddresses.count]
            return BenchConnection(worker: self, plan: plan, source: source)
        }
        if let rate = plan.rate, !connections.isEmpty {
            // This loop's share of the rate.
            pacer = try BenchPacer(loop: loop, intervalNanoseconds: UInt64(plan.workers) * 1_000_000_000 / UInt64(rate),
                                   connections: connections.count, signals: signals)
        }
    }

    /// `connection` is ready for work: with `--rate` it waits for its turn; without, only a churn cycle
    /// asks, and it starts at once (unpaced load sends each next message from the echo of the last).
    func startWhenDue(_ connection: BenchConnection) {
        if let pacer { pacer.enqueue(connection) } else { connection.start() }
    }

    /// Starts the first connections; runs on the loop's thread.
    func start() {
        fillRamp()
    }

    /// A ramp-up connection got its answer (or failed): the next one may start.
    func rampHandshakeEnded() {
        rampHandshakes -= 1
        fillRamp()
    }

    /// Starts connections while the window has room; a connection failing at once re-enters through
    /// `rampHandshakeEnded`, which the `filling` flag turns into another turn of this loop, not recursion.
    private func fillRamp() {
        guard !filling else { return }
        filling = true
        defer { filling = false }
        while rampHandshakes < BenchPlan.handshakeWindow && nextToStart < connections.count {
            let connection = connections[nextToStart]
            nextToStart += 1
            rampHandshakes += 1
            connection.holdsRampSlot = true
            connection.start()
        }
    }

    /// Closes every socket; only after the loop's thread has ended.
    func closeAll() {
        for connection in connections { connection.closeAtExit() }
    }
}
