/// What a rate limiter wants done with a connection after counting traffic.
public enum RateVerdict: Sendable, Equatable {
    /// Carry on.
    case proceed
    /// Throttle: stop reading from the sender for this many milliseconds, then read again.
    case pause(milliseconds: UInt64)
    /// The sender exceeded its rate and the route closes such connections (1008).
    case close
}

/// The message and byte buckets of one direction of one connection, with the route's action. Kept by the
/// connection's loop; counting is a few integer operations and never allocates.
public struct MessageRateLimiter: Sendable {
    private var messages: TokenBucket?
    private var bytes: TokenBucket?
    /// What exceeding the rate does.
    public let action: RateLimitAction

    /// Buckets for the rates `rate` sets; an unset rate is not counted at all.
    public init(_ rate: RateLimit, action: RateLimitAction) {
        messages = rate.messagesPerSecond.map { perSecond in
            TokenBucket(ratePerSecond: UInt64(perSecond), burst: UInt64(rate.burstMessages ?? perSecond))
        }
        bytes = rate.bytesPerSecond.map { perSecond in
            TokenBucket(ratePerSecond: UInt64(perSecond), burst: UInt64(rate.burstBytes ?? perSecond))
        }
        self.action = action
    }

    /// Whether nothing is limited, so the relay can skip counting.
    public var isUnlimited: Bool { messages == nil && bytes == nil }

    /// Counts the start of one data message (its first frame).
    public mutating func recordMessage(nowMilliseconds now: UInt64) -> RateVerdict {
        guard messages != nil else { return .proceed }
        return Self.record(1, in: &messages!, action: action, now: now)
    }

    /// Counts `count` payload bytes that arrived.
    public mutating func recordBytes(_ count: UInt64, nowMilliseconds now: UInt64) -> RateVerdict {
        guard bytes != nil, count > 0 else { return .proceed }
        return Self.record(count, in: &bytes!, action: action, now: now)
    }

    /// In throttle mode traffic already read is let through and paid for afterwards (the bucket goes into
    /// debt); reading resumes when the debt is paid, so the average never exceeds the rate.
    private static func record(
        _ count: UInt64, in bucket: inout TokenBucket, action: RateLimitAction, now: UInt64
    ) -> RateVerdict {
        switch action {
        case .close:
            return bucket.take(count, nowMilliseconds: now) ? .proceed : .close
        case .throttle:
            bucket.consume(count, nowMilliseconds: now)
            let wait = bucket.millisecondsUntilAvailable(0, now: now)
            return wait == 0 ? .proceed : .pause(milliseconds: wait)
        }
    }
}
