import WSHTTP

/// A client's validated WebSocket upgrade request.
///
/// A class: the relay keeps it for the whole handshake and reads it at every step, and a struct of this
/// many strings and arrays would be copied (a retain and release for each of them) at each read.
public final class UpgradeRequest: Sendable {
    /// The request head as received.
    public let head: HTTPRequestHead
    /// The Host header value.
    public let host: String
    /// The client's Sec-WebSocket-Key.
    public let key: String
    /// Offered subprotocols in the client's order.
    public let subprotocols: [String]
    /// Offered extensions, one element per offer, parameters included (e.g. "permessage-deflate; x=1").
    public let extensionOffers: [String]
    /// The Origin header value, if any.
    public let origin: String?

    /// Creates an upgrade request from already-validated parts.
    public init(
        head: HTTPRequestHead, host: String, key: String, subprotocols: [String], extensionOffers: [String],
        origin: String?
    ) {
        self.head = head
        self.host = host
        self.key = key
        self.subprotocols = subprotocols
        self.extensionOffers = extensionOffers
        self.origin = origin
    }
}
