import WSProtocol

/// A reference header encoder written straight from RFC 6455 §5.2, independent of `FrameWriter`.
func referenceHeader(
    fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, length: UInt64, maskKeyBytes: [UInt8]? = nil
) -> [UInt8] {
    var bytes: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
    let maskBit: UInt8 = maskKeyBytes == nil ? 0 : 0x80
    if length < 126 {
        bytes.append(maskBit | UInt8(length))
    } else if length <= 0xFFFF {
        bytes.append(maskBit | 126)
        bytes += [UInt8(length >> 8), UInt8(length & 0xFF)]
    } else {
        bytes.append(maskBit | 127)
        bytes += (0..<8).reversed().map { UInt8((length >> (8 * UInt64($0))) & 0xFF) }
    }
    return bytes + (maskKeyBytes ?? [])
}

/// The mask key as `FrameHeader` and `applyMask` expect it: the 4 bytes loaded from memory.
func maskKey(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
}

/// Parses a header from a byte array.
func parseHeader(_ bytes: [UInt8]) -> FrameHeaderParseResult {
    bytes.withUnsafeBytes { FrameHeader.parse($0) }
}

/// A header for validator tests; only the fields the validator reads matter.
func header(
    _ opcode: UInt8, fin: Bool = true, rsv: UInt8 = 0, masked: Bool = true, length: UInt64 = 0
) -> FrameHeader {
    FrameHeader(
        fin: fin, rsv: rsv, opcode: opcode, masked: masked, maskKey: masked ? 0x1234_5678 : 0,
        payloadLength: length, headerLength: 2)
}
