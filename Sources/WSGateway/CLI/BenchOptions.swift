/// Options of `wsgate bench`. Durations are whole milliseconds, like every duration in wsgate's types.
public struct BenchOptions: Sendable, Equatable {
    /// Endpoint to load (`--url`).
    public var url: UpstreamURL
    /// Concurrent connections (`--conns`, default 100).
    public var connections: Int = 100
    /// Payload bytes per message (`--size`, default 64).
    public var messageSize: Int = 64
    /// Messages in flight per connection (`--depth`, default 1).
    public var depth: Int = 1
    /// Measured run length in milliseconds (`--duration` seconds, default 10 s).
    public var duration: Int = 10_000
    /// Extra handshake headers (`--header`, repeatable), in command-line order.
    public var headers: [BenchHeader] = []
    /// Open connections and keep them idle instead of sending (`--idle`).
    public var idle: Bool = false
    /// Close and reopen connections continuously to measure handshakes (`--churn`).
    public var churn: Bool = false
    /// PEM file of CA certificates to trust for `wss://` (`--ca`).
    public var caFile: String? = nil
    /// Skip certificate verification (`--insecure`).
    public var insecure: Bool = false
    /// Event-loop threads (`--workers`); nil means one per core.
    public var workers: Int? = nil
    /// Local source addresses 127.0.0.1… to spread connections over (`--source-addresses`, default 1), since
    /// one source address runs out of ephemeral ports.
    public var sourceAddresses: Int = 1
    /// Print results as one JSON object (`--json`).
    public var json: Bool = false
    /// Unmeasured warm-up before the run, in milliseconds (`--warmup` seconds, default 1 s).
    public var warmup: Int = 1_000
    /// Work started per second over all connections (`--rate`): messages sent, or with `--churn`
    /// connection cycles. nil is a closed loop: each echo (or cycle) starts the next at once.
    public var rate: Int? = nil
    /// Let `--churn` over `wss://` resume TLS sessions (`--tls-resume`); off, every handshake is a full one.
    public var tlsResume: Bool = false
    /// Offer permessage-deflate, compress every message sent and inflate compressed echoes (`--deflate`);
    /// a server that does not agree fails the connection.
    public var deflate: Bool = false
    /// What the messages contain (`--payload binary|text`, default binary).
    public var payload: BenchPayloadKind = .binary
    /// Processes whose CPU time and memory the bench samples at the edges of its measured window
    /// (`--watch-pids 12,34`), so a proxy's cost per message is measured over exactly that window.
    public var watchedPIDs: [Int32] = []

    /// Options with every default and the given endpoint.
    public init(url: UpstreamURL) {
        self.url = url
    }
}

/// One `--header 'Name: value'` of `wsgate bench`.
public struct BenchHeader: Sendable, Hashable {
    /// Header name as given.
    public var name: String
    /// Header value with surrounding spaces removed.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
