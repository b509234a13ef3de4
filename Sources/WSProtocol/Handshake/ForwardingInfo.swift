/// What the gateway tells an upstream about the original client.
public struct ForwardingInfo: Sendable {
    /// The client's IP address as text.
    public let clientAddress: String
    /// "http" or "https": how the client reached the gateway.
    public let scheme: String

    /// Creates forwarding information.
    public init(clientAddress: String, scheme: String) {
        self.clientAddress = clientAddress
        self.scheme = scheme
    }
}
