/// Writes a merged snapshot as Prometheus metrics; docs/operations.md explains every family.
enum MetricsRenderer {
    static let directions = (fromClients: "client_to_upstream", fromUpstreams: "upstream_to_client")

    static func render(_ snapshot: GatewaySnapshot, _ facts: ProcessFacts) -> String {
        var out = PrometheusText()
        process(&out, snapshot, facts)
        connections(&out, snapshot)
        upstreams(&out, snapshot)
        handshakes(&out, snapshot)
        traffic(&out, snapshot)
        closes(&out, snapshot.stats)
        refusals(&out, snapshot.stats)
        loops(&out, snapshot)
        return out.text
    }

    private static func process(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot, _ facts: ProcessFacts) {
        out.family("wsgate_build_info", .gauge, "Always 1; the version is in the label.")
        out.sample("wsgate_build_info", ["version": facts.version], 1)
        out.family("wsgate_start_time_seconds", .gauge, "When the gateway started, in seconds since the Unix epoch.")
        out.sample("wsgate_start_time_seconds", facts.startedAtUnixSeconds)
        out.family("wsgate_ready", .gauge, "1 while /readyz answers 200, 0 once shutdown began.")
        out.sample("wsgate_ready", facts.ready ? 1 : 0)
        if let fds = facts.openFileDescriptors {
            out.family("wsgate_process_open_fds", .gauge, "Open file descriptors of the process.")
            out.sample("wsgate_process_open_fds", fds)
        }
        if let resident = facts.residentMemoryBytes {
            out.family("wsgate_process_resident_memory_bytes", .gauge, "Resident memory of the process in bytes.")
            out.sample("wsgate_process_resident_memory_bytes", resident)
        }
    }

    private static func connections(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot) {
        out.family("wsgate_connections_current", .gauge, "Connections being relayed now (both handshakes done), by route.")
        for route in snapshot.routes { out.sample("wsgate_connections_current", ["route": route.name], route.live) }
        out.family("wsgate_connections_total", .counter, "Connections upgraded since start, by route.")
        for route in snapshot.routes { out.sample("wsgate_connections_total", ["route": route.name], route.opened) }
        out.single("wsgate_accepted_total", .counter, "TCP connections accepted on the listeners.", snapshot.stats.accepted)
        out.family("wsgate_client_connections", .gauge, "Client connections in any state, handshakes included.")
        out.sample("wsgate_client_connections", snapshot.connections)
    }

    private static func handshakes(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot) {
        let stats = snapshot.stats
        out.family("wsgate_handshakes_total", .counter,
                   "Opening handshakes by outcome; rejections carry the HTTP status the client got.")
        out.sample("wsgate_handshakes_total", ["outcome": "upgraded"], stats.opened)
        for (status, count) in stats.rejectionsByStatus.sorted(by: { $0.key < $1.key }) where status != 502 && status != 504 {
            out.sample("wsgate_handshakes_total", ["outcome": "rejected", "status": String(status)], count)
        }
        out.sample("wsgate_handshakes_total", ["outcome": "upstream_failed"], stats.upstreamFailures)
        out.sample("wsgate_handshakes_total", ["outcome": "tls_failed"], stats.tlsHandshakeFailures)
        out.sample("wsgate_handshakes_total", ["outcome": "timeout"], stats.handshakeTimeouts)

        let histogram = stats.handshakeDurations
        out.family("wsgate_handshake_duration_seconds", .histogram,
                   "Time from accept to the client's 101, once per upgraded connection (millisecond resolution).")
        var cumulative: UInt64 = 0
        for (index, bound) in HandshakeHistogram.boundsMilliseconds.enumerated() {
            cumulative &+= histogram.counts[index]
            out.sample("wsgate_handshake_duration_seconds_bucket", ["le": PrometheusText.format(Double(bound) / 1000)], cumulative)
        }
        out.sample("wsgate_handshake_duration_seconds_bucket", ["le": "+Inf"], histogram.count)
        out.sample("wsgate_handshake_duration_seconds_sum", Double(histogram.sumMilliseconds) / 1000)
        out.sample("wsgate_handshake_duration_seconds_count", histogram.count)
    }

    private static func traffic(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot) {
        let traffic = snapshot.traffic
        out.family("wsgate_messages_total", .counter, "Data messages relayed (final frames), live connections included.")
        out.sample("wsgate_messages_total", ["direction": directions.fromClients], traffic.messagesFromClients)
        out.sample("wsgate_messages_total", ["direction": directions.fromUpstreams], traffic.messagesFromUpstreams)
        out.family("wsgate_bytes_total", .counter,
                   "Bytes read from clients and from upstreams (handshake heads and frame headers included).")
        out.sample("wsgate_bytes_total", ["direction": directions.fromClients], traffic.bytesFromClients)
        out.sample("wsgate_bytes_total", ["direction": directions.fromUpstreams], traffic.bytesFromUpstreams)
    }

    private static func closes(_ out: inout PrometheusText, _ stats: LoopStats) {
        out.family("wsgate_close_codes_total", .counter,
                   "Close codes: sent by clients and upstreams (counted when a connection ends; \"none\" = no close frame with a code), and sent by the gateway to clients.")
        for (side, codes) in [("client", stats.clientCloseCodes), ("upstream", stats.upstreamCloseCodes)] {
            for (code, count) in codes.sorted(by: { $0.key < $1.key }) {
                out.sample("wsgate_close_codes_total", ["side": side, "code": code == 0 ? "none" : String(code)], count)
            }
        }
        for (index, count) in stats.closeCodesSent.enumerated() where count > 0 {
            out.sample("wsgate_close_codes_total", ["side": "gateway", "code": index < 16 ? String(1000 + index) : "other"], count)
        }
    }

    private static func refusals(_ out: inout PrometheusText, _ stats: LoopStats) {
        out.family("wsgate_limit_rejections_total", .counter, "Connections refused by a connection limit or the new-connection rate.")
        for (index, count) in stats.limitRejections.enumerated() {
            let limit = index < LimitKind.allCases.count ? LimitKind.allCases[index].rawValue : "new_connection_rate"
            out.sample("wsgate_limit_rejections_total", ["limit": limit], count)
        }
        out.single("wsgate_auth_rejections_total", .counter, "Handshakes or first messages refused by authentication.", stats.authRejections)
        out.single("wsgate_descriptor_waits_total", .counter,
                   "Upstream connects postponed because the gateway was out of file descriptors.", stats.descriptorWaits)
        out.single("wsgate_origin_rejections_total", .counter, "Handshakes refused because of their Origin.", stats.originRejections)
        out.single("wsgate_protocol_errors_total", .counter, "Connections closed for a WebSocket protocol violation by either side.", stats.protocolErrors)
        out.single("wsgate_messages_too_big_total", .counter, "Protocol errors that were a message or frame over its size limit.", stats.messagesTooBig)
        out.single("wsgate_keepalive_timeouts_total", .counter, "Clients closed for not answering a keepalive ping.", stats.keepaliveTimeouts)
        out.single("wsgate_idle_timeouts_total", .counter, "Connections closed by idle_timeout.", stats.idleTimeouts)
        out.single("wsgate_keepalive_pings_total", .counter, "Keepalive pings sent to quiet clients.", stats.pingsSent)
        out.family("wsgate_rate_limit_actions_total", .counter, "Message rate limit enforcement: reads paused, or connections closed.")
        out.sample("wsgate_rate_limit_actions_total", ["action": "throttle"], stats.rateLimitPauses)
        out.sample("wsgate_rate_limit_actions_total", ["action": "close"], stats.rateLimitCloses)
    }

    private static func loops(_ out: inout PrometheusText, _ snapshot: GatewaySnapshot) {
        out.family("wsgate_loop_up", .gauge, "1 when the event loop answered this scrape within 1 s; 0 shows its last answer.")
        for loop in snapshot.loops { out.sample("wsgate_loop_up", ["loop": String(loop.index)], loop.answered ? 1 : 0) }
        out.family("wsgate_loop_wakeups_total", .counter, "epoll_wait returns of the event loop.")
        for loop in snapshot.loops { out.sample("wsgate_loop_wakeups_total", ["loop": String(loop.index)], loop.wakeups) }
        out.family("wsgate_loop_events_total", .counter, "Readiness events the event loop handled.")
        for loop in snapshot.loops { out.sample("wsgate_loop_events_total", ["loop": String(loop.index)], loop.events) }
        out.family("wsgate_loop_connections", .gauge, "Client connections on the event loop, in any state.")
        for loop in snapshot.loops { out.sample("wsgate_loop_connections", ["loop": String(loop.index)], loop.connections) }
        out.family("wsgate_buffers_in_use", .gauge, "Pooled buffers held by connections (handshake and relay buffers).")
        out.sample("wsgate_buffers_in_use", snapshot.buffersInUse)
    }
}
