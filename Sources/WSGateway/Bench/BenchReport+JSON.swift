extension BenchReport {
    /// The report as one JSON object (`--json`); rates and latencies are in per-second and microsecond units.
    public var json: String {
        var members: [(String, JSONText)] = [
            ("mode", .string(mode)), ("url", .string(url)), ("connections", .integer(UInt64(connections))),
            ("size", .integer(UInt64(messageSize))), ("payload", .string(payload)), ("depth", .integer(UInt64(depth))),
            ("workers", .integer(UInt64(workers))), ("tls_resumption", .bool(tlsResumption)),
            ("offered_rate", offeredRate.map { .integer(UInt64($0)) } ?? .null),
            ("warmup_s", .number(warmupSeconds)), ("duration_s", .number(measuredSeconds)),
            ("messages", .integer(messages)), ("messages_per_s", .number(messagesPerSecond)),
            ("mb_per_s", .number(megabytesPerSecond)), ("latency_us", latency.json),
            ("handshakes", .integer(handshakes)), ("handshakes_per_s", .number(handshakesPerSecond)),
            ("handshake_latency_us", handshakeLatency.json), ("cycles", .integer(cycles)),
            ("tls_resumed", .integer(resumedSessions)),
            ("connections_up", .integer(UInt64(connectionsUp))), ("seconds_to_all_up", .number(secondsToAllUp)),
            ("pings_answered", .integer(pingsAnswered)), ("errors", errors.json),
            ("error_samples", .array(errorSamples.map { .string($0) })),
            ("bench_cpu", .object([
                ("user_s", .number(benchUserSeconds)), ("system_s", .number(benchSystemSeconds)),
                ("us_per_message", .number(benchMicrosecondsPerMessage)),
                ("us_per_handshake", .number(benchMicrosecondsPerHandshake)),
                ("cores_busy", .number(measuredSeconds > 0 ? (benchUserSeconds + benchSystemSeconds) / measuredSeconds : nil)),
            ])),
            ("machine_busy_cores", .number(measuredSeconds > 0 ? machineBusySeconds / measuredSeconds : nil)),
        ]
        if let compression {
            // Flat (no nested object), so scripts/bench can pick figures out with a pattern.
            members.append(("deflate", .object([
                ("agreement", compression.agreement.map { .string($0) } ?? .null),
                ("payload_bytes_sent", .integer(compression.payloadBytesSent)),
                ("wire_bytes_sent", .integer(compression.wireBytesSent)),
                ("payload_bytes_received", .integer(compression.payloadBytesReceived)),
                ("wire_bytes_received", .integer(compression.wireBytesReceived)),
                ("ratio_sent", .number(compression.ratioSent)), ("ratio_received", .number(compression.ratioReceived)),
            ])))
        }
        if let watched {
            members.append(("watched", .object([
                ("pids", .array(watched.pids.map { .integer(UInt64($0)) })),
                ("missing", .array(watched.missing.map { .integer(UInt64($0)) })),
                ("cpu_us", .integer(watched.cpuMicroseconds)),
                ("cores_busy", .number(measuredSeconds > 0 ? Double(watched.cpuMicroseconds) / 1e6 / measuredSeconds : nil)),
                ("us_per_message", .number(watchedMicrosecondsPerMessage)),
                ("us_per_relayed_message", .number(watchedMicrosecondsPerMessage.map { $0 / 2 })),
                ("us_per_handshake", .number(watchedMicrosecondsPerHandshake)),
                ("rss_kib_before", .integer(watched.rssKiBBefore)), ("rss_kib_held", .integer(watched.rssKiBHeld)),
                ("pss_kib_before", .integer(watched.pssKiBBefore)), ("pss_kib_held", .integer(watched.pssKiBHeld)),
                ("kib_per_connection", .number(watchedKiBPerConnection)),
            ])))
        }
        return JSONText.object(members).text
    }
}

extension LatencySummary {
    var json: JSONText {
        .object([
            ("count", .integer(count)), ("p50", .number(p50)), ("p90", .number(p90)), ("p99", .number(p99)),
            ("p999", .number(p999)), ("max", .number(max)), ("mean", .number(mean)),
        ])
    }
}

extension BenchErrors {
    var json: JSONText {
        .object([
            ("total", .integer(total)), ("connect", .integer(connect)), ("tls", .integer(tls)),
            ("handshake_status", .object(handshakeStatus.sorted { $0.key < $1.key }.map { (String($0.key), .integer($0.value)) })),
            ("handshake_invalid", .integer(handshakeInvalid)), ("handshake_aborted", .integer(handshakeAborted)),
            ("verification", .integer(verification)), ("deflate_declined", .integer(deflateDeclined)),
            ("unexpected_close", .object(unexpectedClose.sorted { $0.key < $1.key }.map { (String($0.key), .integer($0.value)) })),
            ("protocol_violations", .integer(protocolViolations)), ("close_timeouts", .integer(closeTimeouts)),
        ])
    }
}
