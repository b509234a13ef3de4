/// Writes a merged snapshot as the `/status` JSON document the status page polls.
enum StatusRenderer {
    static func render(_ snapshot: GatewaySnapshot, _ facts: ProcessFacts, rates: TrafficRates?,
                       workers: Int) -> String {
        let stats = snapshot.stats
        let traffic = snapshot.traffic
        let document: JSONOutput = .object([
            "version": .string(facts.version),
            "started_at_unix": .number(facts.startedAtUnixSeconds),
            "uptime_seconds": .number(facts.uptimeSeconds),
            "ready": .bool(facts.ready),
            "workers": .integer(workers),
            "listeners": .array(snapshot.listeners.map(listener)),
            "routes": .array(snapshot.routes.map { route($0, now: snapshot.takenAtMilliseconds) }),
            "loops": .array(snapshot.loops.map(loop)),
            "totals": .object([
                "connections": .integer(snapshot.connections),
                "relayed_connections": .integer(snapshot.routes.reduce(0) { $0 + $1.live }),
                "accepted": .integer(stats.accepted),
                "upgraded": .integer(stats.opened),
                "rejected": .integer(stats.rejected),
                "upstream_failures": .integer(stats.upstreamFailures),
                "protocol_errors": .integer(stats.protocolErrors),
                "auth_rejections": .integer(stats.authRejections),
                "messages": directions(traffic.messagesFromClients, traffic.messagesFromUpstreams),
                "bytes": directions(traffic.bytesFromClients, traffic.bytesFromUpstreams),
                "buffers_in_use": .integer(snapshot.buffersInUse),
                "open_fds": facts.openFileDescriptors.map { .integer($0) } ?? .null,
                "resident_memory_bytes": facts.residentMemoryBytes.map { .integer($0) } ?? .null,
            ]),
            "rates": rates.map(rateObject) ?? .null,
        ])
        return document.text
    }

    private static func directions(_ fromClients: UInt64, _ fromUpstreams: UInt64) -> JSONOutput {
        .object([MetricsRenderer.directions.fromClients: .integer(fromClients),
                 MetricsRenderer.directions.fromUpstreams: .integer(fromUpstreams)])
    }

    private static func listener(_ listener: GatewaySnapshot.Listener) -> JSONOutput {
        .object(["name": .string(listener.name), "address": .string(listener.address), "tls": .bool(listener.tls),
                 "connections": .integer(listener.connections)])
    }

    private static func route(_ route: GatewaySnapshot.Route, now: UInt64) -> JSONOutput {
        let health: String
        var lastAttempt = JSONOutput.null
        if let attempt = route.lastUpstreamAttempt {
            health = attempt.succeeded ? "reachable" : "unreachable"
            lastAttempt = .object(["succeeded": .bool(attempt.succeeded),
                                   "seconds_ago": .number(Double(now &- min(now, attempt.atMilliseconds)) / 1000)])
        } else {
            health = "unknown"
        }
        return .object([
            "name": .string(route.name), "host": .optional(route.host), "path_prefix": .string(route.pathPrefix),
            "upstream": .string(route.upstream), "upstream_address": .string(route.upstreamAddress),
            "upstream_health": .string(health), "last_upstream_attempt": lastAttempt,
            "connections": .integer(route.live), "connections_total": .integer(route.opened),
            "balance": .string(route.pool.config.balance.description),
            "upstreams": .array(zip(route.pool.members, route.pool.config.members).map { member($0, weight: $1.weight, now: now) }),
        ])
    }

    /// One pool member: its health and counts, read from its atomics now.
    private static func member(_ member: UpstreamMember, weight: Int, now: UInt64) -> JSONOutput {
        .object([
            "name": .string(member.name), "url": .string(member.url.description), "weight": .integer(weight),
            "address": .string(member.address.description), "state": .string(member.state(nowMilliseconds: now).rawValue),
            "up": .bool(member.isUp(nowMilliseconds: now)),
            "connections": .integer(member.connections.load(ordering: .relaxed)),
            "connections_total": .integer(member.connectionsTotal.load(ordering: .relaxed)),
            "failures": .integer(member.failuresTotal.load(ordering: .relaxed)),
            "ejections": .integer(member.ejectionsTotal.load(ordering: .relaxed)),
            "checks_passed": .integer(member.checksPassed.load(ordering: .relaxed)),
            "checks_failed": .integer(member.checksFailed.load(ordering: .relaxed)),
        ])
    }

    private static func loop(_ loop: GatewaySnapshot.Loop) -> JSONOutput {
        .object(["index": .integer(loop.index), "answered": .bool(loop.answered), "connections": .integer(loop.connections),
                 "wakeups": .integer(loop.wakeups), "events": .integer(loop.events),
                 "buffers_in_use": .integer(loop.buffersInUse)])
    }

    private static func rateObject(_ rates: TrafficRates) -> JSONOutput {
        .object([
            "window_seconds": .number(rates.windowSeconds),
            "messages_per_second": .object([MetricsRenderer.directions.fromClients: .number(rates.messagesFromClients),
                                            MetricsRenderer.directions.fromUpstreams: .number(rates.messagesFromUpstreams)]),
            "bytes_per_second": .object([MetricsRenderer.directions.fromClients: .number(rates.bytesFromClients),
                                         MetricsRenderer.directions.fromUpstreams: .number(rates.bytesFromUpstreams)]),
            "upgrades_per_second": .number(rates.upgrades),
        ])
    }
}
