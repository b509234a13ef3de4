import Synchronization
import WSIO

/// One upstream of a pool, shared by every loop (and by the next runtime after a reload, when its URL
/// and address stay the same, so health, drain state and counts carry over). Its health is a handful of atomics: loops write them
/// once per connection attempt, the health checker once per probe, and balancers only read them, so
/// picking an upstream takes no lock.
public final class UpstreamMember: Sendable {
    public let url: UpstreamURL
    /// `url.authority`, the `Host` of every request to the member, made once rather than per connection.
    public let authority: String
    /// `host:port`, as in metrics, logs and admin paths.
    public let name: String
    /// The address resolved when the configuration was loaded.
    public let address: SocketAddress
    /// False while active checks hold the member down (always true without active checks).
    let activeUp = Atomic<Bool>(true)
    /// Monotonic milliseconds until which passive ejection keeps the member out; 0 = not ejected.
    let ejectedUntil = Atomic<UInt64>(0)
    /// Failed attempts since the last success, and ejections in a row (the backoff doubles with each).
    let consecutiveFailures = Atomic<Int>(0)
    let ejectionStreak = Atomic<Int>(0)
    /// The most recent connection attempt failed (cleared by a success or a passing check).
    let lastAttemptFailed = Atomic<Bool>(false)
    let draining = Atomic<Bool>(false)
    let drainStartedAt = Atomic<UInt64>(0)
    /// Connections assigned to the member now, from the connect attempt to the end of the relay.
    let connections = Atomic<Int>(0)
    let connectionsTotal = Atomic<UInt64>(0)
    let failuresTotal = Atomic<UInt64>(0)
    let ejectionsTotal = Atomic<UInt64>(0)
    let checksPassed = Atomic<UInt64>(0)
    let checksFailed = Atomic<UInt64>(0)

    init(url: UpstreamURL, name: String, address: SocketAddress) {
        self.url = url
        self.authority = url.authority
        self.name = name
        self.address = address
    }

    /// Whether a new connection may go here now.
    @inline(__always)
    func isAvailable(nowMilliseconds now: UInt64) -> Bool {
        !draining.load(ordering: .relaxed) && activeUp.load(ordering: .relaxed)
            && ejectedUntil.load(ordering: .relaxed) <= now
    }

    /// The member's health for display: draining before ejected before down.
    func state(nowMilliseconds now: UInt64) -> UpstreamState {
        if draining.load(ordering: .relaxed) { return .draining }
        if ejectedUntil.load(ordering: .relaxed) > now { return .ejected }
        if !activeUp.load(ordering: .relaxed) { return .down }
        return .up
    }

    /// Healthy (draining or not) and its last attempt, if any, succeeded: `wsgate_upstream_up`.
    func isUp(nowMilliseconds now: UInt64) -> Bool {
        activeUp.load(ordering: .relaxed) && ejectedUntil.load(ordering: .relaxed) <= now
            && !lastAttemptFailed.load(ordering: .relaxed)
    }

    // MARK: Per connection

    func acquire() { connections.add(1, ordering: .relaxed) }

    func release() { connections.subtract(1, ordering: .relaxed) }

    /// The upstream answered 101.
    func recordSuccess() {
        connectionsTotal.add(1, ordering: .relaxed)
        consecutiveFailures.store(0, ordering: .relaxed)
        ejectionStreak.store(0, ordering: .relaxed)
        lastAttemptFailed.store(false, ordering: .relaxed)
    }

    /// A connection attempt failed; ejects the member when `passive` says so (once per outage even when
    /// many loops fail at once). Returns the backoff when this call ejected it.
    func recordFailure(passive: PassiveHealthConfig?, activeChecks: Bool, nowMilliseconds now: UInt64) -> UInt64? {
        failuresTotal.add(1, ordering: .relaxed)
        lastAttemptFailed.store(true, ordering: .relaxed)
        guard let passive, passive.ejectAfter > 0 else { return nil }
        // Attempts that were under way when the member was ejected belong to the same outage.
        let until = ejectedUntil.load(ordering: .relaxed)
        guard until <= now else { return nil }
        let failures = consecutiveFailures.add(1, ordering: .relaxed).newValue
        guard failures >= passive.ejectAfter else { return nil }
        let streak = ejectionStreak.load(ordering: .relaxed) + 1
        let backoff = passive.backoffMilliseconds(streak: streak)
        guard ejectedUntil.compareExchange(expected: until, desired: now + backoff, ordering: .relaxed).exchanged else {
            return nil
        }
        ejectionStreak.store(streak, ordering: .relaxed)
        consecutiveFailures.store(0, ordering: .relaxed)
        ejectionsTotal.add(1, ordering: .relaxed)
        // With active checks an ejected member returns only through `rise` fresh passing checks.
        if activeChecks { activeUp.store(false, ordering: .relaxed) }
        return backoff
    }

    // MARK: Draining

    /// Starts or stops draining; true if that changed anything.
    func setDraining(_ on: Bool, nowMilliseconds now: UInt64) -> Bool {
        if on { drainStartedAt.store(now, ordering: .relaxed) }
        return draining.exchange(on, ordering: .relaxed) != on
    }
}

/// What `/status`, the metrics and the log lines call a member's health.
public enum UpstreamState: String, Sendable, CaseIterable {
    /// Takes new connections.
    case up
    /// Failed `fall` active checks in a row; back after `rise` passes.
    case down
    /// Taken out by failed connection attempts for a backoff.
    case ejected
    /// Set draining by an operator: no new connections.
    case draining
}
