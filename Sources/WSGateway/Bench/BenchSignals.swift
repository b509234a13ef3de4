import Synchronization

/// The little state the bench's main thread and its loops share: the run's phase and how many
/// connections are upgraded right now.
final class BenchSignals: Sendable {
    enum Phase: Int {
        /// Connecting and warming up: nothing is counted but errors.
        case warmup = 0
        /// Inside the measured window.
        case measuring = 1
        /// Past the window: loops keep running until stopped, counting nothing.
        case done = 2
    }

    private let phaseValue = Atomic<Int>(Phase.warmup.rawValue)
    private let upValue = Atomic<Int>(0)

    /// Read on the hot path: a relaxed load, no fence.
    @inline(__always)
    var measuring: Bool { phaseValue.load(ordering: .relaxed) == Phase.measuring.rawValue }

    var phase: Phase { Phase(rawValue: phaseValue.load(ordering: .acquiring)) ?? .done }

    func enter(_ phase: Phase) { phaseValue.store(phase.rawValue, ordering: .releasing) }

    /// Connections upgraded and not lost since.
    var upConnections: Int { upValue.load(ordering: .relaxed) }

    func connectionUp() { upValue.add(1, ordering: .relaxed) }

    func connectionDown() { upValue.subtract(1, ordering: .relaxed) }
}
