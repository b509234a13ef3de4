import WSIO

/// The pools' side of a loop: loop 0 runs the health monitors of the current runtime's pools, and every
/// loop closes the connections of a draining member when its grace is over.
extension LoopContext {
    /// The loop that runs health checks and watches pools.
    static let healthLoopIndex = 0

    /// Replaces the monitors with ones for the current runtime's pools (at start and after a reload).
    func startPoolMonitors() {
        guard loop.index == Self.healthLoopIndex else { return }
        stopPoolMonitors()
        poolMonitors = runtime.routes.map { PoolMonitor(pool: $0.pool, loop: loop) }
        for monitor in poolMonitors { monitor.start() }
    }

    func stopPoolMonitors() {
        for monitor in poolMonitors { monitor.stop() }
        poolMonitors.removeAll()
    }

    /// The monitor of `pool`, on the health loop.
    func monitor(of pool: UpstreamPool) -> PoolMonitor? { poolMonitors.first { $0.pool === pool } }

    /// A member started draining: its open connections here get close 1012 when the pool's grace is over.
    func drainConnections(of member: UpstreamMember) {
        for connection in connections where connection.member === member { connection.drainIfMemberDraining() }
    }
}
