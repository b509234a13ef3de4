import WSProtocol

/// Timeouts, keep-alive and buffering for the connections of one route. Every duration is whole
/// milliseconds (configuration files give seconds, rounded to the nearest millisecond).
public struct RoutePolicy: Sendable, Hashable {
    /// Milliseconds allowed to open the TCP (and TLS) connection to the upstream; always > 0.
    public var connectTimeout: Int
    /// Milliseconds allowed for a WebSocket opening handshake, on either side; always > 0.
    public var handshakeTimeout: Int
    /// Milliseconds without traffic in either direction before the pair is closed; 0 disables.
    public var idleTimeout: Int
    /// Milliseconds between pings the gateway sends to an otherwise quiet client; 0 disables.
    public var pingInterval: Int
    /// Milliseconds to wait for the pong after a ping; > 0 whenever `pingInterval` is.
    public var pongTimeout: Int
    /// Milliseconds to wait for the peer's close frame after sending one; always > 0.
    public var closeTimeout: Int
    /// Bytes of relay buffer per direction, 4096…16 MiB.
    public var bufferSize: Int
    /// Whether frames forwarded upstream get a fresh masking key instead of keeping the client's.
    public var remask: Bool
    /// Message sizes, connection counts, rates and allowed origins.
    public var limits: RouteLimits = .standard
    /// How upgrade requests are authenticated; nil lets every request through.
    public var auth: AuthConfig?
    /// permessage-deflate handling (`deflate`), off by default.
    public var deflate: DeflateMode = .off
    /// zlib compression level (`deflate_level`, 1–9) for messages the gateway compresses in terminate mode.
    public var deflateLevel: Int = Deflater.defaultLevel

    /// Creates a policy without checking it.
    public init(
        connectTimeout: Int, handshakeTimeout: Int, idleTimeout: Int, pingInterval: Int, pongTimeout: Int,
        closeTimeout: Int, bufferSize: Int, remask: Bool, auth: AuthConfig? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout
        self.closeTimeout = closeTimeout
        self.bufferSize = bufferSize
        self.remask = remask
        self.auth = auth
    }

    /// The built-in values used for every key that neither `defaults` nor the route sets.
    public static let standard = RoutePolicy(
        connectTimeout: 5_000, handshakeTimeout: 10_000, idleTimeout: 0, pingInterval: 30_000, pongTimeout: 15_000,
        closeTimeout: 5_000, bufferSize: 65_536, remask: true)

    /// Accepted range of `bufferSize`.
    public static let bufferSizeRange = 4_096...16_777_216
}
