import Glibc

/// An IPv4 or IPv6 socket address, stored inline (no allocation).
public struct SocketAddress: Sendable, CustomStringConvertible {
    public var storage = sockaddr_storage()
    public var length: socklen_t = 0

    public init() {}

    /// Parses a numeric IPv4 or IPv6 literal (brackets allowed) or "localhost".
    public init?(host: String, port: UInt16) {
        var literal = host
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if literal == "localhost" { literal = "127.0.0.1" }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = v4
            store(sin)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = v6
            store(sin6)
            return
        }
        return nil
    }

    private mutating func store<Address>(_ address: Address) {
        withUnsafeBytes(of: address) { source in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
        }
        length = socklen_t(MemoryLayout<Address>.size)
    }

    /// Parses "host:port", "[v6]:port".
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        self.init(host: String(text[..<colon]), port: port)
    }

    public var family: Int32 { Int32(storage.ss_family) }

    public var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            family == AF_INET6
                ? UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
                : UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        }
    }

    /// The numeric host, without brackets or port.
    public var host: String {
        withUnsafeBytes(of: storage) { raw in
            if family == AF_INET6 {
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN) + 1) { text in
                    _ = inet_ntop(AF_INET6, &address, text.baseAddress, socklen_t(text.count))
                    return String(cString: text.baseAddress!)
                }
            }
            // Dotted decimal written here: inet_ntop formats IPv4 through sprintf, several times slower.
            let address = raw.load(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!, as: UInt32.self)
            return withUnsafeBytes(of: address) { octets in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { text in
                    var length = 0
                    func append(_ byte: UInt8) {
                        text[length] = byte
                        length += 1
                    }
                    for (index, octet) in octets.enumerated() {
                        if index > 0 { append(UInt8(ascii: ".")) }
                        if octet >= 100 { append(UInt8(ascii: "0") + octet / 100) }
                        if octet >= 10 { append(UInt8(ascii: "0") + octet / 10 % 10) }
                        append(UInt8(ascii: "0") + octet % 10)
                    }
                    return String(decoding: UnsafeBufferPointer(rebasing: text[..<length]), as: UTF8.self)
                }
            }
        }
    }

    /// Whether the address is on this host's loopback interface: 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        withUnsafeBytes(of: storage) { raw in
            if family == AF_INET6 {
                let offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
                return (0..<15).allSatisfy { raw[offset + $0] == 0 } && raw[offset + 15] == 1
            }
            let offset = MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
            return family == AF_INET && raw[offset] == 127
        }
    }

    public var description: String { family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeBytes(of: storage) { body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), length) }
    }
}
