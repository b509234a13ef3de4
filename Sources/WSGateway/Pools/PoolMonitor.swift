import WSIO

/// Watches one pool on the health loop (loop 0): runs its members' active checks, turns their results
/// into up and down (`rise` passes, `fall` failures in a row), and logs every health transition. Passive
/// ejections are logged by the loop that ejects; the monitor notices when they end (a short tick), and
/// hears of drains from the admin endpoint.
final class PoolMonitor: TimerTarget {
    private struct Watch {
        /// The state last logged.
        var logged: UpstreamState
        /// `ejectionsTotal` when last looked at: a change is an ejection logged by its loop.
        var ejections: UInt64
        var passes = 0
        var failures = 0
    }

    let pool: UpstreamPool
    private unowned let loop: EventLoop
    private var probes: [HealthProbe] = []
    private var watches: [Watch]
    private var tick = TimerID.none

    /// How often ejections are looked at for their end.
    static let tickMilliseconds: UInt64 = 250

    init(pool: UpstreamPool, loop: EventLoop) {
        self.pool = pool
        self.loop = loop
        let now = loop.nowMilliseconds
        watches = pool.members.map { Watch(logged: $0.state(nowMilliseconds: now), ejections: $0.ejectionsTotal.load(ordering: .relaxed)) }
    }

    func start() {
        if let check = pool.config.healthCheck {
            let count = UInt64(pool.members.count)
            for (position, member) in pool.members.enumerated() {
                let probe = HealthProbe(member: member, check: check, tls: pool.tls, loop: loop, monitor: self)
                probe.start(afterMilliseconds: UInt64(check.interval) * UInt64(position) / count)
                probes.append(probe)
            }
        }
        if pool.passiveEjection != nil {
            tick = loop.schedule(afterMilliseconds: Self.tickMilliseconds, target: self, kind: 0)
        }
    }

    func stop() {
        loop.cancel(&tick)
        for probe in probes { probe.stop() }
        probes.removeAll()
    }

    func timerFired(kind: Int32) {
        for member in pool.members { observe(member, detail: "ejection backoff over") }
        tick = loop.schedule(afterMilliseconds: Self.tickMilliseconds, target: self, kind: 0)
    }

    /// Applies one probe's result: counts it, and moves the member down after `fall` failures or up after
    /// `rise` passes.
    func probeFinished(_ probe: HealthProbe, passed: Bool, detail: String) {
        guard let check = pool.config.healthCheck, let position = pool.members.firstIndex(where: { $0 === probe.member }) else {
            return
        }
        let member = probe.member
        noticeEjection(at: position)
        if passed {
            member.checksPassed.add(1, ordering: .relaxed)
            watches[position].passes += 1
            watches[position].failures = 0
        } else {
            member.checksFailed.add(1, ordering: .relaxed)
            watches[position].failures += 1
            watches[position].passes = 0
        }
        let watch = watches[position]
        if member.activeUp.load(ordering: .relaxed) {
            if !passed && watch.failures >= check.fall { member.activeUp.store(false, ordering: .relaxed) }
        } else if passed && watch.passes >= check.rise {
            member.activeUp.store(true, ordering: .relaxed)
            member.lastAttemptFailed.store(false, ordering: .relaxed)
        }
        observe(member, detail: passed ? "\(watch.passes) \(check.kind.rawValue) checks passed"
                                       : "\(watch.failures) \(check.kind.rawValue) checks failed, last: \(detail)")
    }

    /// Logs the member's state if it changed since the last line about it.
    func observe(_ member: UpstreamMember, detail: String) {
        guard let position = pool.members.firstIndex(where: { $0 === member }) else { return }
        noticeEjection(at: position)
        let state = member.state(nowMilliseconds: loop.nowMilliseconds)
        guard state != watches[position].logged else { return }
        HealthLog.transition(pool: pool, member: member, from: watches[position].logged, to: state, detail: detail)
        watches[position].logged = state
    }

    /// An ejection since the last look (its loop logged it): with active checks the member must pass
    /// `rise` checks afresh.
    private func noticeEjection(at position: Int) {
        let ejections = pool.members[position].ejectionsTotal.load(ordering: .relaxed)
        guard ejections != watches[position].ejections else { return }
        watches[position].ejections = ejections
        watches[position].passes = 0
        watches[position].logged = .ejected
    }
}
