import Glibc
import WSHTTP
import WSIO

/// What each admin path answers; docs/operations.md describes them.
extension AdminServer {
    func answer(_ request: HTTPRequestHead, on connection: AdminConnection) {
        // Only the actions change anything (reload, upstream drain); they alone take POST.
        let method = request.path == "/reload" || request.path.hasPrefix(Self.upstreamActionPrefix) ? "POST" : "GET"
        guard request.method == method else {
            connection.send(.text(405, "only \(method) is supported here", headers: [("Allow", method)]))
            return
        }
        switch request.path {
        case "/healthz":
            connection.send(.text(200, "ok"))
            return
        case "/readyz":
            connection.send(gateway.isShuttingDown ? .text(503, "shutting down") : .text(200, "ready"))
            return
        default:
            break
        }
        if let token, !token.accepts(authorization: request.headers.values("Authorization")) {
            connection.send(.text(401, "admin token required", headers: [
                ("WWW-Authenticate", #"Bearer realm="wsgate admin""#),
                ("WWW-Authenticate", #"Basic realm="wsgate admin", charset="UTF-8""#),
            ]))
            return
        }
        if request.path == "/reload" {
            // The main thread reloads on SIGHUP: one path for the signal and this endpoint.
            kill(getpid(), SIGHUP)
            connection.send(.text(202, "reload requested; the log says reload_applied or reload_failed"))
            return
        }
        if method == "POST" {
            connection.send(upstreamAction(path: request.path))
            return
        }
        switch request.path {
        case "/metrics":
            gather { [self] snapshot in
                connection.send(AdminResponse(status: 200, contentType: PrometheusText.contentType,
                                              body: Array(MetricsRenderer.render(snapshot, facts()).utf8)))
            }
        case "/status":
            gather { [self] snapshot in
                let json = StatusRenderer.render(snapshot, facts(), rates: rates.rates, workers: gateway.group.loops.count)
                connection.send(AdminResponse(status: 200, contentType: "application/json", body: Array(json.utf8)))
            }
        case "/":
            connection.send(AdminResponse(status: 200, contentType: "text/html; charset=utf-8",
                                          body: Array(StatusPage.html.utf8),
                                          headers: [("Content-Security-Policy", StatusPage.contentSecurityPolicy)]))
        default:
            connection.send(.text(404, "not found; try /, /status, /metrics, /healthz, /readyz, POST /reload or POST /upstreams/ROUTE/HOST:PORT/drain"))
        }
    }

    /// Asks every loop for its snapshot and merges the answers; a loop that misses the timeout is
    /// reported and its last answer stands in, so counters never go backwards.
    private func gather(_ completion: @escaping (GatewaySnapshot) -> Void) {
        SnapshotGathering.start(loops: gateway.group.loops, home: loop, timeoutMilliseconds: Self.scrapeTimeoutMilliseconds) { [self] replies in
            var entries: [(index: Int, snapshot: LoopSnapshot?, answered: Bool)] = []
            for (index, reply) in replies.enumerated() {
                if let reply { lastSnapshots[index] = reply }
                entries.append((index, reply ?? lastSnapshots[index], reply != nil))
            }
            let snapshot = GatewaySnapshot(loops: entries, listenerAddresses: listenerAddresses,
                                           takenAtMilliseconds: monotonicMilliseconds())
            if !snapshot.missingLoops.isEmpty {
                Log.warn("admin_loops_unresponsive", ["loops": .string(snapshot.missingLoops.map(String.init).joined(separator: ",")),
                                                      "timeout_ms": .int(Int(Self.scrapeTimeoutMilliseconds))])
            }
            rates.observe(snapshot)
            completion(snapshot)
        }
    }

    private func facts() -> ProcessFacts {
        ProcessFacts(version: WSGateVersion.string, startedAtUnixSeconds: gateway.startedAtUnixSeconds,
                     uptimeSeconds: Double(monotonicMilliseconds() &- gateway.startedAtMilliseconds) / 1000,
                     ready: !gateway.isShuttingDown, openFileDescriptors: ProcessStats.openFileDescriptors(),
                     residentMemoryBytes: ProcessStats.residentMemoryBytes())
    }
}
