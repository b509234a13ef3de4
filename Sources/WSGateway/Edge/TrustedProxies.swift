import WSIO

/// The address blocks of proxies in front of the gateway (`trusted_proxies`): only they may send a PROXY
/// protocol header, and only their forwarding headers are believed.
public struct TrustedProxies: Sendable, Hashable {
    let networks: [IPNetwork]

    /// Parses CIDR blocks (`10.0.0.0/8`, `::1/128`, or a bare address); an error's key path is the index of
    /// the bad entry (`[1]`).
    public init(cidrs: [String]) throws(ConfigError) {
        var networks: [IPNetwork] = []
        for (index, text) in cidrs.enumerated() {
            do throws(ConfigError) {
                networks.append(try IPNetwork(parsing: text))
            } catch {
                throw error.located(at: "[\(index)]")
            }
        }
        self.networks = networks
    }

    /// Trusts nobody.
    public static let none = TrustedProxies(networks: [])

    init(networks: [IPNetwork]) {
        self.networks = networks
    }

    /// Whether no proxy is trusted.
    public var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` lies in a trusted block.
    public func contains(_ address: SocketAddress) -> Bool {
        IPAddress(address).map(contains) ?? false
    }

    func contains(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client behind a chain of proxies. When `peer` is trusted, the values of the forwarding header
    /// (every header line, in order, each a comma-separated list) are read from the right: the first address
    /// that is not trusted is the client. When all are trusted the leftmost is; an unparsable entry stops
    /// the walk at the last trusted address, since nothing to its left can be believed. The port of an
    /// address from the header is the one it carries, or 0.
    public func realClientAddress(peer: SocketAddress, forwardedFor: [String]) -> SocketAddress {
        guard contains(peer) else { return peer }
        var client = peer
        for line in forwardedFor.reversed() {
            for entry in line.split(separator: ",", omittingEmptySubsequences: false).reversed() {
                guard let (address, port) = Self.parseForwardedEntry(entry) else { return client }
                client = address.socketAddress(port: port)
                if !contains(address) { return client }
            }
        }
        return client
    }

    /// One `X-Forwarded-For` entry: `IPv4`, `IPv4:port`, `IPv6`, `[IPv6]` or `[IPv6]:port`, blanks around it ignored.
    static func parseForwardedEntry(_ entry: Substring) -> (IPAddress, UInt16)? {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = entry.firstIndex(where: { !isBlank($0) }), let last = entry.lastIndex(where: { !isBlank($0) })
        else { return nil }
        let text = entry[first...last]
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                let address = IPAddress(parsing: text[text.index(after: text.startIndex)..<close])
            else { return nil }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (address, 0) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()) else { return nil }
            return (address, port)
        }
        if let address = IPAddress(parsing: text) { return (address, 0) }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
            let address = IPAddress(parsing: text[..<colon]), !address.isIPv6
        else { return nil }
        return (address, port)
    }
}
