import WSIO

/// A client address reduced to the network prefix that per-IP limits count (by default the whole address),
/// so a client cannot escape a limit by spreading over the addresses of its own subnet.
public struct IPAddressKey: Hashable, Sendable, CustomStringConvertible {
    let address: IPAddress

    /// The key of `address`, keeping the first `ipv4Prefix` bits of IPv4 and `ipv6Prefix` bits of IPv6;
    /// nil for a socket address that is neither IPv4 nor IPv6.
    public init?(_ address: SocketAddress, ipv4Prefix: Int = 32, ipv6Prefix: Int = 128) {
        guard let ip = IPAddress(address) else { return nil }
        self.address = ip.masked(toPrefix: ip.isIPv6 ? ipv6Prefix : ipv4Prefix)
    }

    /// Whether the key is an IPv6 network.
    public var isIPv6: Bool { address.isIPv6 }

    /// The masked network address, e.g. `192.0.2.0` for `192.0.2.77` under a /24 prefix.
    public var description: String { address.description }
}
