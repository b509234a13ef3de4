/// Active health checks of a pool's members: one probe per member every `interval`.
public struct HealthCheckConfig: Sendable, Hashable {
    /// What a probe does.
    public enum Kind: String, Sendable, Hashable {
        /// Passes when the TCP (and TLS, for `wss://`) connection opens.
        case tcp
        /// Passes on a 2xx answer to `GET path`.
        case http
        /// Passes on a valid 101 to a WebSocket upgrade of `path` (and, with `ping`, a matching pong).
        case ws
    }

    public var kind: Kind
    /// Request path of `http` and `ws` probes; nil uses `/` for `http` and the upstream's path for `ws`.
    public var path: String?
    /// Milliseconds between the end of one probe and the start of the next.
    public var interval: Int = 2_000
    /// Milliseconds a probe may take before it counts as failed.
    public var timeout: Int = 1_000
    /// Consecutive passes that bring a down member back.
    public var rise: Int = 2
    /// Consecutive failures that take an up member down.
    public var fall: Int = 3
    /// `ws` probes also send a ping and require its pong.
    public var ping: Bool = false

    public init(kind: Kind) {
        self.kind = kind
    }

    /// Accepted range of `rise` and `fall`.
    public static let thresholdRange = 1...100
}
