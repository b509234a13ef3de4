/// An address block in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a block of one.
struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    let network: IPAddress
    let prefix: Int

    /// Parses `address/prefix` or `address`; bits set after the prefix are an error, since they usually
    /// mean a typo in the address or the prefix.
    init(parsing text: String) throws(ConfigError) {
        let addressPart: Substring
        let prefixPart: Substring?
        if let slash = text.firstIndex(of: "/") {
            addressPart = text[..<slash]
            prefixPart = text[text.index(after: slash)...]
        } else {
            addressPart = text[...]
            prefixPart = nil
        }
        guard let address = IPAddress(parsing: addressPart) else { throw Self.invalid(text, "bad IP address") }
        // Mapped IPv6 addresses are stored as IPv4, so their prefix must not count the 96 mapping bits twice.
        let written = addressPart.contains(":") ? 128 : 32
        let offset = written - address.bitWidth
        var prefix = written
        if let prefixPart {
            guard (1...3).contains(prefixPart.utf8.count), prefixPart.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let value = Int(prefixPart), value <= written, prefixPart == "0" || !prefixPart.hasPrefix("0")
            else { throw Self.invalid(text, "prefix must be a number from 0 to \(written)") }
            prefix = value
        }
        guard prefix >= offset else { throw Self.invalid(text, "prefix is shorter than the IPv4-mapped range") }
        self.prefix = prefix - offset
        guard address.masked(toPrefix: self.prefix) == address else {
            throw Self.invalid(text, "address has bits set after the prefix (did you mean \(address.masked(toPrefix: self.prefix))/\(prefix)?)")
        }
        network = address
    }

    func contains(_ address: IPAddress) -> Bool {
        address.isIPv6 == network.isIPv6 && address.masked(toPrefix: prefix) == network
    }

    var description: String { "\(network)/\(prefix)" }

    private static func invalid(_ text: String, _ reason: String) -> ConfigError {
        ConfigError(keyPath: "", message: "invalid CIDR \"\(text)\": \(reason)")
    }
}
