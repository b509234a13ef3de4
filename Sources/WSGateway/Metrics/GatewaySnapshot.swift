import WSIO

/// Every loop's snapshot merged: what `/metrics`, `/status` and the status page show.
struct GatewaySnapshot {
    struct Loop {
        var index: Int
        /// False when the loop did not answer within the scrape timeout; its last answer stands in.
        var answered: Bool
        var connections: Int
        var wakeups: UInt64
        var events: UInt64
        var buffersInUse: Int
    }

    struct Route {
        var name: String
        var host: String?
        var pathPrefix: String
        var upstream: String
        var upstreamAddress: String
        /// The route's upstreams; their health and counts are read when rendering.
        var pool: UpstreamPool
        /// Connections relayed now, and upgraded since start.
        var live: Int
        var opened: UInt64
        /// The most recent upstream attempt on any loop; nil while none was made.
        var lastUpstreamAttempt: UpstreamAttempt?
    }

    struct Listener {
        var name: String
        var address: String
        var tls: Bool
        var connections: Int
    }

    var loops: [Loop] = []
    var routes: [Route] = []
    var listeners: [Listener] = []
    /// Gateway-wide counters summed over the loops.
    var stats = LoopStats()
    /// Messages and bytes of finished and live connections.
    var traffic = LiveTraffic()
    /// Connections in any state.
    var connections = 0
    var buffersInUse = 0
    var takenAtMilliseconds: UInt64 = 0

    var missingLoops: [Int] { loops.filter { !$0.answered }.map(\.index) }

    /// Merges one entry per loop: its fresh snapshot, the last one it gave (answered false), or nothing.
    init(loops entries: [(index: Int, snapshot: LoopSnapshot?, answered: Bool)],
         listenerAddresses: [(name: String, address: SocketAddress)], takenAtMilliseconds: UInt64) {
        self.takenAtMilliseconds = takenAtMilliseconds
        var routeIndex: [String: Int] = [:]
        for entry in entries {
            guard let snapshot = entry.snapshot else {
                loops.append(Loop(index: entry.index, answered: false, connections: 0, wakeups: 0, events: 0, buffersInUse: 0))
                continue
            }
            loops.append(Loop(index: entry.index, answered: entry.answered, connections: snapshot.connections,
                              wakeups: snapshot.wakeups, events: snapshot.events, buffersInUse: snapshot.buffersInUse))
            stats.add(snapshot.stats)
            traffic.add(LiveTraffic(messagesFromClients: snapshot.stats.messagesFromClients,
                                    messagesFromUpstreams: snapshot.stats.messagesFromUpstreams,
                                    bytesFromClients: snapshot.stats.bytesFromClients,
                                    bytesFromUpstreams: snapshot.stats.bytesFromUpstreams))
            traffic.add(snapshot.live)
            connections += snapshot.connections
            buffersInUse += snapshot.buffersInUse
            mergeRoutes(of: snapshot, into: &routeIndex)
            mergeListeners(of: snapshot, addresses: listenerAddresses)
        }
    }

    private mutating func mergeRoutes(of snapshot: LoopSnapshot, into routeIndex: inout [String: Int]) {
        let runtime = snapshot.runtime
        for (index, route) in runtime.routes.enumerated() {
            let position: Int
            if let known = routeIndex[route.name] {
                position = known
            } else {
                let config = runtime.router.routes[index]
                position = routes.count
                routeIndex[route.name] = position
                routes.append(Route(name: route.name, host: config.host?.description, pathPrefix: config.pathPrefix,
                                    upstream: config.upstream.description,
                                    upstreamAddress: route.pool.members[0].address.description, pool: route.pool,
                                    live: 0, opened: 0,
                                    lastUpstreamAttempt: nil))
            }
            guard let counters = snapshot.stats.routes[route.name] else { continue }
            routes[position].live += counters.live
            routes[position].opened &+= counters.opened
            if let attempt = counters.lastUpstreamAttempt,
               attempt.atMilliseconds >= routes[position].lastUpstreamAttempt?.atMilliseconds ?? 0 {
                routes[position].lastUpstreamAttempt = attempt
            }
        }
    }

    private mutating func mergeListeners(of snapshot: LoopSnapshot, addresses: [(name: String, address: SocketAddress)]) {
        for listener in snapshot.runtime.listeners {
            let count = listener.index < snapshot.listenerConnections.count ? snapshot.listenerConnections[listener.index] : 0
            if let known = listeners.firstIndex(where: { $0.name == listener.name }) {
                listeners[known].connections += count
                continue
            }
            let bound = addresses.first { $0.name == listener.name }?.address ?? listener.address
            listeners.append(Listener(name: listener.name, address: bound.description, tls: listener.tls != nil,
                                      connections: count))
        }
    }
}
