/// The per-upstream families: health, connections and the counters of the pools (docs/pools.md).
extension MetricsRenderer {
    static func upstreams(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot) {
        let now = snapshot.takenAtMilliseconds
        let members = snapshot.routes.flatMap { route in route.pool.members.map { (route: route.name, member: $0) } }
        func each(_ name: String, _ value: (UpstreamMember) -> UInt64) {
            for (route, member) in members { out.sample(name, ["route": route, "upstream": member.name], value(member)) }
        }
        out.family("wsgate_upstream_up", .gauge,
                   "1 when the upstream is healthy (not down by active checks, not ejected) and its last connection attempt, if any, succeeded.")
        each("wsgate_upstream_up") { $0.isUp(nowMilliseconds: now) ? 1 : 0 }
        out.family("wsgate_upstream_state", .gauge, "1 for the upstream's current state: up, down, ejected or draining.")
        for (route, member) in members {
            let current = member.state(nowMilliseconds: now)
            for state in UpstreamState.allCases {
                out.sample("wsgate_upstream_state", ["route": route, "upstream": member.name, "state": state.rawValue],
                           state == current ? 1 : 0)
            }
        }
        out.family("wsgate_upstream_connections", .gauge, "Connections assigned to each upstream now (connecting or relayed).")
        for (route, member) in members {
            out.sample("wsgate_upstream_connections", ["route": route, "upstream": member.name],
                       member.connections.load(ordering: .relaxed))
        }
        out.family("wsgate_upstream_connections_total", .counter, "Connections each upstream upgraded (answered 101).")
        each("wsgate_upstream_connections_total") { $0.connectionsTotal.load(ordering: .relaxed) }
        out.family("wsgate_upstream_failures_total", .counter,
                   "Connection attempts that failed: refused, timed out, TLS failure, or no valid 101.")
        each("wsgate_upstream_failures_total") { $0.failuresTotal.load(ordering: .relaxed) }
        out.family("wsgate_upstream_ejections_total", .counter, "Times failed attempts ejected the upstream.")
        each("wsgate_upstream_ejections_total") { $0.ejectionsTotal.load(ordering: .relaxed) }
        out.family("wsgate_upstream_checks_total", .counter, "Active health checks of the upstream, by result.")
        for (route, member) in members {
            out.sample("wsgate_upstream_checks_total", ["route": route, "upstream": member.name, "result": "passed"],
                       member.checksPassed.load(ordering: .relaxed))
            out.sample("wsgate_upstream_checks_total", ["route": route, "upstream": member.name, "result": "failed"],
                       member.checksFailed.load(ordering: .relaxed))
        }
        out.family("wsgate_upstream_retries_total", .counter,
                   "Failed upstream attempts retried on another upstream before the client was answered.")
        for route in snapshot.routes {
            out.sample("wsgate_upstream_retries_total", ["route": route.name], route.pool.retriesTotal.load(ordering: .relaxed))
        }
    }
}
