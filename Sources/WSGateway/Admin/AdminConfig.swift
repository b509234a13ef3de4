/// The `admin` object: where the admin HTTP listener binds and the optional token file guarding it.
public struct AdminConfig: Sendable, Hashable {
    /// Address of the admin listener.
    public var address: SocketAddressSpec
    /// File holding the bearer token every endpoint but /healthz and /readyz requires; nil for none.
    public var tokenFile: String?

    /// Creates an admin listener description.
    public init(address: SocketAddressSpec, tokenFile: String? = nil) {
        self.address = address
        self.tokenFile = tokenFile
    }

    /// Where `wsgate` with no arguments serves the admin endpoints.
    public static let embeddedDefaultAddress = SocketAddressSpec(host: "127.0.0.1", port: 9901)
}
