/// The gateway-wide count of connections with permessage-deflate negotiated (`max_compressed_connections`).
/// A connection that finds no slot is relayed without compression; it is never refused for it.
public final class CompressionSlots: Sendable {
    private let count: CountingLimit

    /// Slots for at most `limit` compressed connections at once; 0 = unlimited (still counted).
    public init(limit: Int) {
        count = CountingLimit(limit: limit)
    }

    /// The configured limit.
    public var limit: Int { count.limit }
    /// Compressed connections now.
    public var inUse: Int { count.count }

    /// Takes a slot; false when all are taken.
    func acquire() -> Bool { count.acquire() }

    /// Gives back a slot taken by `acquire`.
    func release() { count.release() }
}
