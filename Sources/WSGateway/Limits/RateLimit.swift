/// A rate for one direction of a route (`client_rate`, `upstream_rate`): messages and bytes per second,
/// each with a burst. A nil rate is unlimited.
public struct RateLimit: Sendable, Hashable {
    /// Data messages per second, sustained.
    public var messagesPerSecond: Int?
    /// Payload bytes per second, sustained.
    public var bytesPerSecond: Int?
    /// Messages that may pass at once after a quiet spell; nil = one second's worth.
    public var burstMessages: Int?
    /// Bytes that may pass at once after a quiet spell; nil = one second's worth.
    public var burstBytes: Int?

    /// Creates a rate; nil rates are unlimited.
    public init(messagesPerSecond: Int? = nil, bytesPerSecond: Int? = nil, burstMessages: Int? = nil,
                burstBytes: Int? = nil) {
        self.messagesPerSecond = messagesPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.burstMessages = burstMessages
        self.burstBytes = burstBytes
    }

    /// No limit in either unit.
    public static let unlimited = RateLimit()

    /// Whether neither messages nor bytes are limited.
    public var isUnlimited: Bool { messagesPerSecond == nil && bytesPerSecond == nil }

    /// Accepted range of rates and bursts: 1 to 2^40 (a terabyte per second is no limit in practice).
    public static let valueRange = 1...(1 << 40)
}

/// What happens to a connection that sends faster than its route's rate.
public enum RateLimitAction: String, Sendable, Hashable, CaseIterable {
    /// Stop reading from the sender until its bucket has refilled (TCP backpressure does the rest).
    case throttle
    /// Close the connection with 1008 (policy violation).
    case close
}
