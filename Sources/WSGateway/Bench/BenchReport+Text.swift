extension BenchReport {
    /// The report for people: one figure per line.
    public var text: String {
        var lines: [String] = []
        let tlsNote = url.hasPrefix("wss") ? (tlsResumption ? ", TLS resumption on" : ", TLS full handshakes") : ""
        let deflateNote = compression == nil ? "" : ", permessage-deflate"
        let rateNote = offeredRate.map { ", \($0) \(mode == "churn" ? "cycles" : "messages")/s offered" } ?? ""
        lines.append("wsgate bench \(mode) \(url): \(connections) connections, \(messageSize) B \(payload), depth \(depth), "
            + "\(workers) worker\(workers == 1 ? "" : "s")\(tlsNote)\(deflateNote)\(rateNote)")
        lines.append("  window         \(Self.fixed(measuredSeconds, 2)) s measured after \(Self.fixed(warmupSeconds, 2)) s warm-up")
        switch mode {
        case "idle":
            let allUp = secondsToAllUp.map { "all up after \(Self.fixed($0, 2)) s" } ?? "not all up"
            lines.append("  connections    \(connectionsUp) up (\(allUp)), \(pingsAnswered) pings answered")
        case "churn":
            let resumed = url.hasPrefix("wss") ? ", \(resumedSessions) TLS sessions resumed" : ""
            lines.append("  handshakes     \(handshakes) (\(Self.fixed(handshakesPerSecond, 0))/s), \(cycles) clean cycles\(resumed)")
            lines.append("  handshake      " + handshakeLatency.text)
            lines.append("  echo latency   " + latency.text)
        default:
            lines.append("  messages       \(messages) (\(Self.fixed(messagesPerSecond, 0))/s, "
                + "\(Self.fixed(megabytesPerSecond, 2)) MB/s payload each way)")
            lines.append("  latency        " + latency.text)
        }
        if let compression { lines += compression.textLines }
        lines.append("  errors         " + errors.text)
        for sample in errorSamples { lines.append("    e.g. " + sample) }
        let benchCPU = benchUserSeconds + benchSystemSeconds
        let coresBusy = measuredSeconds > 0 ? benchCPU / measuredSeconds * 100 : 0
        var cpuLine = "  bench cpu      \(Self.fixed(benchCPU, 2)) s (\(Self.fixed(coresBusy, 0)) % of one core)"
        if mode == "churn", let perHandshake = benchMicrosecondsPerHandshake {
            cpuLine += ", \(Self.fixed(perHandshake, 1)) µs per connection"
        } else if let perMessage = benchMicrosecondsPerMessage {
            cpuLine += ", \(Self.fixed(perMessage, 2)) µs per message"
        }
        lines.append(cpuLine)
        if measuredSeconds > 0 {
            lines.append("  machine        \(Self.fixed(machineBusySeconds / measuredSeconds, 2)) cores busy in all (every process)")
        }
        if let watched {
            let pids = watched.pids.map(String.init).joined(separator: ",")
            var line = "  watched \(pids): cpu \(Self.fixed(Double(watched.cpuMicroseconds) / 1_000_000, 2)) s"
            if mode != "churn", let perMessage = watchedMicrosecondsPerMessage {
                line += ", \(Self.fixed(perMessage, 2)) µs per echo (\(Self.fixed(perMessage / 2, 2)) per relayed message)"
            }
            if mode == "churn", let perHandshake = watchedMicrosecondsPerHandshake {
                line += ", \(Self.fixed(perHandshake, 1)) µs per connection"
            }
            lines.append(line)
            var memory = "  watched memory PSS \(watched.pssKiBBefore) → \(watched.pssKiBHeld) KiB, "
                + "RSS \(watched.rssKiBBefore) → \(watched.rssKiBHeld) KiB"
            if let perConnection = watchedKiBPerConnection { memory += ", \(Self.fixed(perConnection, 2)) KiB per connection" }
            lines.append(memory)
            if !watched.missing.isEmpty {
                lines.append("  watched processes not readable: " + watched.missing.map(String.init).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `value` with exactly `decimals` digits after the point.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var factor: UInt64 = 1
        for _ in 0..<decimals { factor *= 10 }
        let scaled = UInt64((abs(value) * Double(factor)).rounded())
        var text = (value < 0 && scaled > 0 ? "-" : "") + String(scaled / factor)
        if decimals > 0 {
            let fraction = String(scaled % factor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }
}

extension CompressionFigures {
    /// The agreement, then wire bytes against payload bytes per direction.
    var textLines: [String] {
        func direction(_ payload: UInt64, _ wire: UInt64, _ ratio: Double?) -> String {
            guard let ratio else { return "nothing" }
            return "\(payload) B payload in \(wire) B on the wire (\(BenchReport.fixed(ratio, 2)):1)"
        }
        return [
            "  deflate        " + (agreement ?? "not agreed"),
            "  sent           " + direction(payloadBytesSent, wireBytesSent, ratioSent),
            "  received       " + direction(payloadBytesReceived, wireBytesReceived, ratioReceived),
        ]
    }
}

extension LatencySummary {
    /// `p50 … p90 … p99 … p99.9 … max …` in microseconds.
    var text: String {
        guard count > 0 else { return "no samples" }
        let f = { (value: Double) in BenchReport.fixed(value, value < 100 ? 1 : 0) }
        return "p50 \(f(p50)) µs, p90 \(f(p90)), p99 \(f(p99)), p99.9 \(f(p999)), max \(f(max)) (mean \(f(mean)))"
    }
}

extension BenchErrors {
    /// "none" or each non-zero kind with its count.
    var text: String {
        var parts: [String] = []
        func add(_ name: String, _ count: UInt64) { if count > 0 { parts.append("\(name) \(count)") } }
        add("connect", connect)
        add("tls", tls)
        for (status, count) in handshakeStatus.sorted(by: { $0.key < $1.key }) { add("status \(status)", count) }
        add("bad 101", handshakeInvalid)
        add("handshake aborted", handshakeAborted)
        add("VERIFICATION", verification)
        add("DEFLATE DECLINED", deflateDeclined)
        for (code, count) in unexpectedClose.sorted(by: { $0.key < $1.key }) { add("closed \(code)", count) }
        add("protocol", protocolViolations)
        add("close timeout", closeTimeouts)
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
