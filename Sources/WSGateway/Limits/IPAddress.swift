import Glibc
import WSIO

/// An IPv4 or IPv6 address as plain integers, for masking and comparing without touching `sockaddr` again.
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, what a dual-stack socket reports) are stored as IPv4, so
/// one client counts as one address whichever socket it came through.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits of an IPv6 address; 0 for IPv4.
    var high: UInt64
    /// The last 64 bits of an IPv6 address, or the IPv4 address in the low 32 bits.
    var low: UInt64
    var isIPv6: Bool

    private init(high: UInt64, low: UInt64, isIPv6: Bool) {
        self.high = high
        self.low = low
        self.isIPv6 = isIPv6
    }

    init(ipv4: UInt32) {
        self.init(high: 0, low: UInt64(ipv4), isIPv6: false)
    }

    init(ipv6High high: UInt64, low: UInt64) {
        let mapped = high == 0 && low >> 32 == 0xFFFF
        self.init(high: high, low: mapped ? low & 0xFFFF_FFFF : low, isIPv6: !mapped)
    }

    /// The address of an `AF_INET` or `AF_INET6` socket address; nil for any other family.
    init?(_ address: SocketAddress) {
        let family = address.family
        guard family == AF_INET || family == AF_INET6 else { return nil }
        self = withUnsafeBytes(of: address.storage) { raw in
            if family == AF_INET {
                return IPAddress(ipv4: UInt32(bigEndian: raw.load(as: sockaddr_in.self).sin_addr.s_addr))
            }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!...])
            return IPAddress(sixteenBytes: bytes)
        }
    }

    /// Reads 16 bytes of an IPv6 address in network order.
    init(sixteenBytes bytes: UnsafeRawBufferPointer) {
        self.init(
            ipv6High: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// Parses an IPv4 or IPv6 literal (no brackets, no port), strictly as `inet_pton` does.
    init?(parsing text: some StringProtocol) {
        var storage = in6_addr()
        let string = String(text)
        if string.withCString({ inet_pton(AF_INET, $0, &storage) }) == 1 {
            let value = withUnsafeBytes(of: storage) { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
            self.init(ipv4: value)
        } else if string.withCString({ inet_pton(AF_INET6, $0, &storage) }) == 1 {
            self = withUnsafeBytes(of: storage) { IPAddress(sixteenBytes: $0) }
        } else {
            return nil
        }
    }

    /// Number of bits in the address: 32 or 128.
    var bitWidth: Int { isIPv6 ? 128 : 32 }

    /// The address with every bit after the first `prefix` cleared.
    func masked(toPrefix prefix: Int) -> IPAddress {
        var copy = self
        if isIPv6 {
            copy.high &= Self.leadingOnes(min(prefix, 64))
            copy.low &= Self.leadingOnes(max(prefix - 64, 0))
        } else {
            copy.low &= Self.leadingOnes(prefix) >> 32
        }
        return copy
    }

    /// A socket address for this address and `port`.
    func socketAddress(port: UInt16) -> SocketAddress {
        var address = SocketAddress()
        if isIPv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { raw in
                raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            Self.store(sin6, in: &address)
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = UInt32(truncatingIfNeeded: low).bigEndian
            Self.store(sin, in: &address)
        }
        return address
    }

    /// The address in its usual text form (`192.0.2.1`, `2001:db8::1`).
    var description: String { socketAddress(port: 0).host }

    /// A 64-bit mask with the top `count` bits set.
    private static func leadingOnes(_ count: Int) -> UInt64 {
        count <= 0 ? 0 : count >= 64 ? ~0 : ~0 << UInt64(64 - count)
    }

    private static func store<T>(_ value: T, in address: inout SocketAddress) {
        withUnsafeBytes(of: value) { source in
            withUnsafeMutableBytes(of: &address.storage) { $0.copyMemory(from: source) }
        }
        address.length = socklen_t(MemoryLayout<T>.size)
    }
}
