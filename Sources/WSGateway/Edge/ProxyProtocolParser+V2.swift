extension ProxyProtocolParser {
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    private static let preambleLength = 16
    private static let localCommand: UInt8 = 0x20
    private static let proxyCommand: UInt8 = 0x21
    /// Address family and transport bytes this gateway accepts, with the address block length of each.
    private static let unspecified: UInt8 = 0x00
    private static let tcpOverIPv4: UInt8 = 0x11
    private static let tcpOverIPv6: UInt8 = 0x21
    private static let unixStream: UInt8 = 0x31

    static func parseV2(_ bytes: UnsafeRawBufferPointer) -> ProxyProtocolResult {
        guard bytes.prefix(v2Signature.count).elementsEqual(v2Signature.prefix(bytes.count)) else {
            return .invalid("not a PROXY protocol header")
        }
        if bytes.count > 12 && bytes[12] != localCommand && bytes[12] != proxyCommand {
            return .invalid("v2 version/command byte 0x\(String(bytes[12], radix: 16)) is not v2 LOCAL or PROXY")
        }
        guard bytes.count >= preambleLength else { return .incomplete }
        let familyAndTransport = bytes[13]
        let length = preambleLength + Int(bytes[14]) << 8 + Int(bytes[15])
        guard length <= maximumV2Length else { return .invalid("v2 header of \(length) bytes is too long") }
        guard bytes.count >= length else { return .incomplete }
        let body = UnsafeRawBufferPointer(rebasing: bytes[preambleLength..<length])
        if bytes[12] == localCommand {
            return .header(length: length, source: nil, destination: nil)
        }
        let addressLength: Int
        switch familyAndTransport {
        case unspecified: addressLength = 0
        case tcpOverIPv4: addressLength = 12
        case tcpOverIPv6: addressLength = 36
        case unixStream: addressLength = 216
        default:
            return .invalid("v2 family/transport 0x\(String(familyAndTransport, radix: 16)) is not a stream over IPv4, IPv6 or UNIX")
        }
        guard body.count >= addressLength else { return .invalid("v2 address block shorter than its family needs") }
        guard tlvsAreWellFormed(UnsafeRawBufferPointer(rebasing: body[addressLength...])) else {
            return .invalid("v2 TLV runs past the end of the header")
        }
        switch familyAndTransport {
        case tcpOverIPv4:
            let source = IPAddress(ipv4: bigEndian(body, at: 0, as: UInt32.self))
            let destination = IPAddress(ipv4: bigEndian(body, at: 4, as: UInt32.self))
            return .header(length: length, source: source.socketAddress(port: bigEndian(body, at: 8, as: UInt16.self)),
                           destination: destination.socketAddress(port: bigEndian(body, at: 10, as: UInt16.self)))
        case tcpOverIPv6:
            let source = IPAddress(sixteenBytes: UnsafeRawBufferPointer(rebasing: body[0..<16]))
            let destination = IPAddress(sixteenBytes: UnsafeRawBufferPointer(rebasing: body[16..<32]))
            return .header(length: length, source: source.socketAddress(port: bigEndian(body, at: 32, as: UInt16.self)),
                           destination: destination.socketAddress(port: bigEndian(body, at: 34, as: UInt16.self)))
        default:
            return .header(length: length, source: nil, destination: nil)
        }
    }

    /// TLVs are skipped, but each must fit: a header whose lengths disagree is not to be trusted.
    private static func tlvsAreWellFormed(_ tlvs: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < tlvs.count {
            guard offset + 3 <= tlvs.count else { return false }
            offset += 3 + Int(tlvs[offset + 1]) << 8 + Int(tlvs[offset + 2])
        }
        return offset == tlvs.count
    }

    private static func bigEndian<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, at offset: Int, as type: T.Type) -> T {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
