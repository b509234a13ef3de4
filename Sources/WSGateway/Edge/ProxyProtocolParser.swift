/// Parses the PROXY protocol header (HAProxy's, versions 1 and 2) a load balancer sends before the
/// client's bytes, carrying the client's real address. Stateless: call again with all bytes received so
/// far until the result is not `.incomplete`. Every prefix of a valid header is `.incomplete`, and bytes
/// that cannot begin one are `.invalid` as early as possible.
public enum ProxyProtocolParser {
    /// The longest version 1 header, `\r\n` included, as the specification fixes it.
    public static let maximumV1Length = 107
    /// The longest version 2 header accepted (16-byte preamble, addresses and TLVs).
    public static let maximumV2Length = 4096

    /// Parses the start of a connection's bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ProxyProtocolResult {
        guard let first = bytes.first else { return .incomplete }
        switch first {
        case UInt8(ascii: "P"): return parseV1(bytes)
        case v2Signature[0]: return parseV2(bytes)
        default: return .invalid("not a PROXY protocol header")
        }
    }

    private static let v1Prefix = Array("PROXY ".utf8)

    private static func parseV1(_ bytes: UnsafeRawBufferPointer) -> ProxyProtocolResult {
        guard bytes.prefix(v1Prefix.count).elementsEqual(v1Prefix.prefix(bytes.count)) else {
            return .invalid("not a PROXY protocol header")
        }
        // The line must end by byte 107, so its CR is at index 105 at the latest.
        let searchable = bytes.prefix(maximumV1Length - 1)
        guard let carriageReturn = searchable.firstIndex(of: UInt8(ascii: "\r")) else {
            return bytes.count >= maximumV1Length - 1 ? .invalid("v1 header longer than 107 bytes") : .incomplete
        }
        guard carriageReturn + 1 < bytes.count else { return .incomplete }
        guard bytes[carriageReturn + 1] == UInt8(ascii: "\n") else { return .invalid("v1 header not ended by CRLF") }
        let line = String(decoding: bytes[v1Prefix.count..<carriageReturn], as: UTF8.self)
        return parseV1Fields(line.split(separator: " ", omittingEmptySubsequences: false), length: carriageReturn + 2)
    }

    private static func parseV1Fields(_ fields: [Substring], length: Int) -> ProxyProtocolResult {
        switch fields.first {
        case "UNKNOWN":
            return .header(length: length, source: nil, destination: nil)
        case "TCP4", "TCP6":
            let wantsIPv6 = fields[0] == "TCP6"
            guard fields.count == 5 else { return .invalid("v1 \(fields[0]) needs 4 fields, got \(fields.count - 1)") }
            guard let source = v1Address(fields[1], ipv6: wantsIPv6), let destination = v1Address(fields[2], ipv6: wantsIPv6)
            else { return .invalid("v1 address is not a valid \(fields[0]) address") }
            guard let sourcePort = v1Port(fields[3]), let destinationPort = v1Port(fields[4]) else {
                return .invalid("v1 port is not a number from 0 to 65535")
            }
            return .header(length: length, source: source.socketAddress(port: sourcePort),
                           destination: destination.socketAddress(port: destinationPort))
        default:
            return .invalid("v1 protocol must be TCP4, TCP6 or UNKNOWN")
        }
    }

    private static func v1Address(_ text: Substring, ipv6: Bool) -> IPAddress? {
        // The written family decides: an IPv4-mapped IPv6 literal is fine for TCP6 though stored as IPv4.
        guard text.contains(":") == ipv6 else { return nil }
        return IPAddress(parsing: text)
    }

    /// Decimal without leading zeros, as the specification requires.
    private static func v1Port(_ text: Substring) -> UInt16? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt16(text)
    }
}
