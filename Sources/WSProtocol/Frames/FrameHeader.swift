/// A decoded WebSocket frame header (RFC 6455 §5.2).
public struct FrameHeader: Sendable, Equatable {
    /// Whether this is the final fragment of a message.
    public var fin: Bool
    /// The three RSV bits in place as in byte 0 (masked with 0x70).
    public var rsv: UInt8
    /// The 4-bit opcode.
    public var opcode: UInt8
    /// Whether the payload is masked.
    public var masked: Bool
    /// The 4 key bytes as loaded from memory with `loadUnaligned(as: UInt32.self)`; 0 if unmasked.
    public var maskKey: UInt32
    /// The payload length in bytes.
    public var payloadLength: UInt64
    /// The number of header bytes (2 to 14) before the payload.
    public var headerLength: Int

    /// The largest possible header: 2 fixed bytes, an 8-byte length and a 4-byte mask key.
    @inlinable public static var maxLength: Int { 14 }

    /// Creates a header from its fields.
    @inlinable
    public init(
        fin: Bool, rsv: UInt8, opcode: UInt8, masked: Bool, maskKey: UInt32, payloadLength: UInt64,
        headerLength: Int
    ) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.masked = masked
        self.maskKey = maskKey
        self.payloadLength = payloadLength
        self.headerLength = headerLength
    }

    /// Parses a header starting at `bytes[0]`; says `.incomplete` until every header byte is present.
    ///
    /// Only the encoding is checked here; protocol rules are `FrameSequenceValidator`'s job.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> FrameHeaderParseResult {
        let available = bytes.count
        guard available >= 2 else { return .incomplete }
        let byte0 = bytes[0]
        let byte1 = bytes[1]
        let masked = byte1 & 0x80 != 0
        let shortLength = byte1 & 0x7F
        let lengthBytes = shortLength == 127 ? 8 : (shortLength == 126 ? 2 : 0)
        let headerLength = 2 + lengthBytes + (masked ? 4 : 0)
        guard available >= headerLength else { return .incomplete }

        let payloadLength: UInt64
        switch lengthBytes {
        case 0:
            payloadLength = UInt64(shortLength)
        case 2:
            payloadLength = UInt64(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        default:
            payloadLength = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            guard payloadLength >> 63 == 0 else { return .invalid(FrameViolation(.lengthTooLarge)) }
        }
        let maskKey = masked ? bytes.loadUnaligned(fromByteOffset: 2 + lengthBytes, as: UInt32.self) : 0
        return .header(
            FrameHeader(
                fin: byte0 & 0x80 != 0, rsv: byte0 & 0x70, opcode: byte0 & 0x0F, masked: masked,
                maskKey: maskKey, payloadLength: payloadLength, headerLength: headerLength))
    }
}

/// The outcome of `FrameHeader.parse`.
public enum FrameHeaderParseResult: Sendable, Equatable {
    /// More bytes are needed before the header can be decoded.
    case incomplete
    /// A complete header; the payload starts at `headerLength`.
    case header(FrameHeader)
    /// The header encoding itself is invalid.
    case invalid(FrameViolation)
}
