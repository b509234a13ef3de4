/// What a loop records for metrics at the two moments of a connection's life that matter to them:
/// the upgrade and the end. Nothing here runs per message.
extension LoopContext {
    /// Both handshakes are done (called once, from `ProxyConnection.open`).
    func connectionOpened(_ connection: ProxyConnection) {
        stats.opened &+= 1
        let now = loop.nowMilliseconds
        stats.handshakeDurations.record(milliseconds: now &- connection.acceptedAt)
        let index = connection.registryIndex
        if index >= 0, index < relayed.count { relayed[index] = true }
        guard let route = connection.route?.name else { return }
        stats.routes[route, default: RouteCounters()].countOpened(atMilliseconds: now)
    }

    /// The connection is ending and still registered: counts its close codes or its HTTP rejection.
    func recordEnd(of connection: ProxyConnection) {
        let index = connection.registryIndex
        let route = connection.route?.name
        if index >= 0, index < relayed.count, relayed[index] {
            stats.clientCloseCodes[connection.c2u.closeCode ?? 0, default: 0] &+= 1
            stats.upstreamCloseCodes[connection.u2c.closeCode ?? 0, default: 0] &+= 1
            if let route { stats.routes[route, default: RouteCounters()].live -= 1 }
            return
        }
        let status = connection.handshakeStatus
        // 0: dropped before any answer; 101: upgraded for first-message authentication, never relayed.
        guard status != 0, status != 101 else { return }
        stats.rejectionsByStatus[status, default: 0] &+= 1
        if let route, status == 502 || status == 504 {
            stats.routes[route, default: RouteCounters()].lastUpstreamAttempt =
                UpstreamAttempt(succeeded: false, atMilliseconds: loop.nowMilliseconds)
        }
    }

    /// This loop's counters plus the live counters of its connections, for one scrape.
    func snapshot() -> LoopSnapshot {
        var live = LiveTraffic()
        var listenerConnections = [Int](repeating: 0, count: runtime.listeners.count)
        for connection in connections {
            live.messagesFromClients &+= connection.c2u.messages
            live.messagesFromUpstreams &+= connection.u2c.messages
            live.bytesFromClients &+= connection.c2u.bytesIn
            live.bytesFromUpstreams &+= connection.u2c.bytesIn
            let listener = connection.listener.index
            if listener >= 0, listener < listenerConnections.count { listenerConnections[listener] += 1 }
        }
        return LoopSnapshot(
            loop: loop.index, runtime: runtime, stats: stats, live: live, connections: connections.count,
            listenerConnections: listenerConnections, wakeups: loop.wakeups, events: loop.eventsHandled,
            buffersInUse: loop.buffersInUse, takenAtMilliseconds: loop.nowMilliseconds)
    }
}
