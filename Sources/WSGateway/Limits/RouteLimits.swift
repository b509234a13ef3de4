/// Size, connection, rate and origin limits of one route (part of `RoutePolicy`). Sizes and counts of 0
/// mean unlimited.
public struct RouteLimits: Sendable, Hashable {
    /// Largest message, in payload bytes, a client may send (all frames of a message together).
    public var maxMessageSize: Int = RouteLimits.defaultMessageSize
    /// Largest single frame payload a client may send; nil = `maxMessageSize`.
    public var maxFrameSize: Int?
    /// Largest message the upstream may send.
    public var maxUpstreamMessageSize: Int = RouteLimits.defaultMessageSize
    /// Largest single frame payload the upstream may send; nil = `maxUpstreamMessageSize`.
    public var maxUpstreamFrameSize: Int?
    /// Most connections open at once on this route.
    public var maxConnections: Int = 0
    /// Most connections open at once on this route for one authenticated identity.
    public var maxConnectionsPerIdentity: Int = 0
    /// Rate of client→upstream messages per connection.
    public var clientRate: RateLimit = .unlimited
    /// Rate of upstream→client messages per connection.
    public var upstreamRate: RateLimit = .unlimited
    /// What exceeding either rate does.
    public var rateLimitAction: RateLimitAction = .throttle
    /// Origins a browser request must come from; nil accepts any request, with or without `Origin`.
    public var allowedOrigins: OriginPolicy?

    /// The built-in limits.
    public init() {}

    /// The built-in limits: 1 MiB messages both ways, nothing else limited.
    public static let standard = RouteLimits()

    /// 1 MiB, as in Python's `websockets`.
    public static let defaultMessageSize = 1_048_576
    /// Accepted range of message and frame sizes: 0 (unlimited) to 1 TiB.
    public static let sizeRange = 0...(1 << 40)

    /// Client message limit in bytes; `UInt64.max` when unlimited.
    public var clientMessageLimit: UInt64 { Self.limit(maxMessageSize) }
    /// Client frame limit in bytes, never above the message limit; `UInt64.max` when unlimited.
    public var clientFrameLimit: UInt64 { min(Self.limit(maxFrameSize ?? maxMessageSize), clientMessageLimit) }
    /// Upstream message limit in bytes; `UInt64.max` when unlimited.
    public var upstreamMessageLimit: UInt64 { Self.limit(maxUpstreamMessageSize) }
    /// Upstream frame limit in bytes, never above the message limit; `UInt64.max` when unlimited.
    public var upstreamFrameLimit: UInt64 {
        min(Self.limit(maxUpstreamFrameSize ?? maxUpstreamMessageSize), upstreamMessageLimit)
    }

    /// A fresh limiter for one connection's client→upstream direction.
    public func makeClientRateLimiter() -> MessageRateLimiter { MessageRateLimiter(clientRate, action: rateLimitAction) }
    /// A fresh limiter for one connection's upstream→client direction.
    public func makeUpstreamRateLimiter() -> MessageRateLimiter {
        MessageRateLimiter(upstreamRate, action: rateLimitAction)
    }

    private static func limit(_ size: Int) -> UInt64 { size == 0 ? .max : UInt64(size) }
}
