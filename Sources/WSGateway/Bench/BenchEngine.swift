import Glibc
import WSIO

/// Runs one benchmark: connects, warms up, measures, stops, and returns the figures.
public enum BenchEngine {
    /// Runs `options` to completion on its own event loops (blocking the caller); `progress` gets a line
    /// at each phase change.
    public static func run(_ options: BenchOptions, progress: (String) -> Void = { _ in }) throws(BenchError) -> BenchReport {
        // A server that vanishes must give EPIPE, never kill the bench (OpenSSL writes with plain write()).
        signal(SIGPIPE, SIG_IGN)
        let plan = try BenchPlan(options)
        let signals = BenchSignals()
        let group: EventLoopGroup
        let workers: WorkerList
        do {
            group = try EventLoopGroup(count: plan.workers)
            workers = WorkerList(try group.loops.map { loop throws(IOError) in
                try BenchWorker(loop: loop, plan: plan, signals: signals,
                                slots: Array(stride(from: loop.index, to: plan.connections, by: plan.workers)))
            })
        } catch {
            throw BenchError.loops(error)
        }
        let baseline = ProcessUsage.sample(plan.watchedPIDs)
        let started = monotonicNanoseconds()
        group.start { loop in workers.all[loop.index].start() }

        var secondsToAllUp: Double?
        if plan.mode != .churn {
            let limit = setupLimitMilliseconds(plan.connections)
            if waitUntil(milliseconds: limit, { signals.upConnections >= plan.connections }) {
                secondsToAllUp = Double(monotonicNanoseconds() - started) / 1e9
            }
            progress(secondsToAllUp.map { "\(plan.connections) connections up after \(BenchReport.fixed($0, 2)) s" }
                ?? "only \(signals.upConnections) of \(plan.connections) connections up after \(limit / 1000) s")
        }
        if plan.mode == .idle {
            // Let the server settle (lazy frees, pooled buffers) before its memory is sampled.
            sleep(milliseconds: settleMilliseconds)
        } else {
            sleep(milliseconds: plan.warmupMilliseconds)
        }
        let connectionsUp = signals.upConnections
        let cpuBefore = ProcessUsage.ownCPU()
        let machineBefore = ProcessUsage.machineBusyMicroseconds()
        let held = ProcessUsage.sample(plan.watchedPIDs)
        let windowStart = monotonicNanoseconds()
        signals.enter(.measuring)
        progress("measuring for \(BenchReport.fixed(Double(plan.durationMilliseconds) / 1000, 2)) s")
        sleep(milliseconds: plan.durationMilliseconds)
        signals.enter(.done)
        let windowEnd = monotonicNanoseconds()
        let cpuAfter = ProcessUsage.ownCPU()
        let machineAfter = ProcessUsage.machineBusyMicroseconds()
        let after = ProcessUsage.sample(plan.watchedPIDs)
        group.stop()
        group.join()
        for worker in workers.all { worker.closeAll() }

        let stats = BenchStats()
        for worker in workers.all { stats.merge(worker.stats) }
        let watched = plan.watchedPIDs.isEmpty ? nil : WatchedProcesses(
            pids: plan.watchedPIDs,
            cpuMicroseconds: after.cpuMicroseconds &- held.cpuMicroseconds,
            rssKiBBefore: baseline.rssKiB, rssKiBHeld: held.rssKiB,
            pssKiBBefore: baseline.pssKiB, pssKiBHeld: held.pssKiB,
            missing: Array(Set(baseline.missing + held.missing + after.missing)).sorted())
        return BenchReport(
            mode: plan.mode.rawValue, url: plan.url.description, connections: plan.connections,
            messageSize: plan.payload.size, payload: plan.payload.kind.rawValue, depth: plan.depth, workers: plan.workers,
            tlsResumption: plan.secure && plan.tlsServerName != nil, offeredRate: plan.rate,
            warmupSeconds: Double(plan.warmupMilliseconds) / 1000,
            measuredSeconds: Double(windowEnd - windowStart) / 1e9,
            messages: stats.messages, payloadBytes: stats.payloadBytes,
            compression: plan.deflate ? CompressionFigures(
                agreement: stats.agreement, payloadBytesSent: stats.payloadBytesSent, wireBytesSent: stats.wireBytesSent,
                payloadBytesReceived: stats.payloadBytes, wireBytesReceived: stats.wireBytesReceived) : nil,
            latency: LatencySummary(stats.latency),
            handshakes: stats.handshakes, handshakeLatency: LatencySummary(stats.handshakeLatency),
            cycles: stats.cycles, resumedSessions: stats.resumedSessions, connectionsUp: connectionsUp, secondsToAllUp: secondsToAllUp,
            pingsAnswered: stats.pingsAnswered, errors: stats.errors,
            errorSamples: stats.errorSamples,
            benchUserSeconds: Double(cpuAfter.user &- cpuBefore.user) / 1e6,
            benchSystemSeconds: Double(cpuAfter.system &- cpuBefore.system) / 1e6,
            machineBusySeconds: Double(machineAfter &- machineBefore) / 1e6,
            watched: watched)
    }

    private static let settleMilliseconds = 500

    /// Time allowed for every connection to come up: 2 s, plus 1 s per 500 connections.
    private static func setupLimitMilliseconds(_ connections: Int) -> Int { 2_000 + connections * 2 }

    /// Polls `condition` every 5 ms; false if it is still unmet after `milliseconds`.
    private static func waitUntil(milliseconds: Int, _ condition: () -> Bool) -> Bool {
        let deadline = monotonicMilliseconds() + UInt64(milliseconds)
        while !condition() {
            if monotonicMilliseconds() >= deadline { return false }
            sleep(milliseconds: 5)
        }
        return true
    }

    private static func sleep(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// The workers, handed to every loop thread's set-up closure.
///
/// `@unchecked Sendable`: the array is fixed before the loops start, and each worker is touched only by its
/// own loop's thread until the loops have been joined.
private final class WorkerList: @unchecked Sendable {
    let all: [BenchWorker]
    init(_ all: [BenchWorker]) { self.all = all }
}
