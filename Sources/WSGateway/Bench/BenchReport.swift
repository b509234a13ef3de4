/// Every figure of one `wsgate bench` run.
public struct BenchReport: Sendable {
    /// `load`, `idle` or `churn`.
    public var mode: String
    public var url: String
    public var connections: Int
    public var messageSize: Int
    /// `binary` or `text` (`--payload`).
    public var payload: String
    public var depth: Int
    public var workers: Int
    /// Whether churn over TLS resumed sessions (always false for plain connections).
    public var tlsResumption: Bool
    /// Messages (churn: cycles) started per second with `--rate`; nil in a closed loop, where each echo
    /// (or cycle) started the next at once.
    public var offeredRate: Int?
    public var warmupSeconds: Double
    /// Length of the measured window as actually timed.
    public var measuredSeconds: Double

    /// Echoes verified inside the window.
    public var messages: UInt64
    /// Echoed payload bytes inside the window (each direction carries this much).
    public var payloadBytes: UInt64
    /// Compression figures with `--deflate`; nil without.
    public var compression: CompressionFigures?
    /// Round-trip latency of the echoes, send to verified receipt.
    public var latency: LatencySummary
    /// Upgrades completed inside the window.
    public var handshakes: UInt64
    /// connect() to validated 101.
    public var handshakeLatency: LatencySummary
    /// Churn cycles (connect, upgrade, echo, close handshake) completed inside the window.
    public var cycles: UInt64
    /// Upgrades inside the window whose TLS handshake resumed a session.
    public var resumedSessions: UInt64
    /// Connections upgraded at the end of the set-up phase.
    public var connectionsUp: Int
    /// Seconds from the start until every connection was upgraded; nil if that never happened.
    public var secondsToAllUp: Double?
    public var pingsAnswered: UInt64
    public var errors: BenchErrors
    /// The first few failures in words.
    public var errorSamples: [String]

    /// The bench's own CPU time inside the window, in seconds.
    public var benchUserSeconds: Double
    public var benchSystemSeconds: Double
    /// CPU time the whole machine was busy inside the window (all processes, all cores), in seconds.
    public var machineBusySeconds: Double
    /// Figures of the processes given with `--watch-pids`; nil when none were.
    public var watched: WatchedProcesses?

    public var messagesPerSecond: Double { rate(messages) }
    public var megabytesPerSecond: Double { rate(payloadBytes) / 1_000_000 }
    public var handshakesPerSecond: Double { rate(handshakes) }
    /// The bench's own CPU microseconds per verified echo.
    public var benchMicrosecondsPerMessage: Double? {
        perUnit((benchUserSeconds + benchSystemSeconds) * 1_000_000, messages)
    }
    /// The bench's own CPU microseconds per completed upgrade.
    public var benchMicrosecondsPerHandshake: Double? {
        perUnit((benchUserSeconds + benchSystemSeconds) * 1_000_000, handshakes)
    }

    func rate(_ count: UInt64) -> Double { measuredSeconds > 0 ? Double(count) / measuredSeconds : 0 }

    func perUnit(_ amount: Double, _ count: UInt64) -> Double? { count > 0 ? amount / Double(count) : nil }
}

/// Latency percentiles in microseconds.
public struct LatencySummary: Sendable, Equatable {
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    public var mean: Double

    init(_ histogram: LatencyHistogram) {
        func micros(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1_000 }
        count = histogram.count
        p50 = micros(histogram.value(atPercentile: 50))
        p90 = micros(histogram.value(atPercentile: 90))
        p99 = micros(histogram.value(atPercentile: 99))
        p999 = micros(histogram.value(atPercentile: 99.9))
        max = micros(histogram.max)
        mean = histogram.mean / 1_000
    }
}

/// What `--deflate` negotiated and how much smaller the messages were on the wire, inside the window.
public struct CompressionFigures: Sendable, Equatable {
    /// The server's `Sec-WebSocket-Extensions` answer (the first one seen); nil when none agreed.
    public var agreement: String?
    /// Payload bytes of the messages sent, before compression.
    public var payloadBytesSent: UInt64
    /// Their payload bytes on the wire (as compressed).
    public var wireBytesSent: UInt64
    /// Payload bytes of the echoes verified, after inflating.
    public var payloadBytesReceived: UInt64
    /// Their payload bytes on the wire.
    public var wireBytesReceived: UInt64

    /// Payload bytes per wire byte of what was sent (2.5 means 2.5:1); nil when nothing was sent.
    public var ratioSent: Double? { wireBytesSent > 0 ? Double(payloadBytesSent) / Double(wireBytesSent) : nil }
    /// Payload bytes per wire byte of the echoes.
    public var ratioReceived: Double? {
        wireBytesReceived > 0 ? Double(payloadBytesReceived) / Double(wireBytesReceived) : nil
    }
}

/// CPU and memory of the watched processes: CPU over the measured window, memory before connecting and at
/// the start of the window (with every connection up).
public struct WatchedProcesses: Sendable {
    public var pids: [Int32]
    public var cpuMicroseconds: UInt64
    public var rssKiBBefore: UInt64
    public var rssKiBHeld: UInt64
    public var pssKiBBefore: UInt64
    public var pssKiBHeld: UInt64
    /// Processes that could not be read at some sample.
    public var missing: [Int32]
}

extension BenchReport {
    /// Watched CPU per verified echo. For a proxy each echo is two relayed messages, so halve it for
    /// "per relayed message".
    public var watchedMicrosecondsPerMessage: Double? {
        watched.flatMap { perUnit(Double($0.cpuMicroseconds), messages) }
    }

    /// Watched CPU per completed upgrade (churn: per connection, including its echo and close).
    public var watchedMicrosecondsPerHandshake: Double? {
        watched.flatMap { perUnit(Double($0.cpuMicroseconds), handshakes) }
    }

    /// Growth of the watched processes' PSS (RSS where PSS is unreadable) per upgraded connection, in KiB.
    public var watchedKiBPerConnection: Double? {
        guard let watched, connectionsUp > 0 else { return nil }
        let usePSS = watched.pssKiBBefore > 0 && watched.pssKiBHeld > 0
        let before = usePSS ? watched.pssKiBBefore : watched.rssKiBBefore
        let held = usePSS ? watched.pssKiBHeld : watched.rssKiBHeld
        return (Double(held) - Double(before)) / Double(connectionsUp)
    }
}
