/// Parsing and sizing of close frame payloads (RFC 6455 §5.5.1).
public enum ClosePayload {
    /// The most reason bytes a close frame can carry: 125 payload bytes minus the 2-byte code.
    @inlinable public static var maxReasonLength: Int { 123 }

    /// Checks an already unmasked close payload and returns its code (nil when empty) and reason length;
    /// the reason is the `reasonLength` bytes after the 2 code bytes.
    @inlinable
    public static func parse(_ payload: UnsafeRawBufferPointer) -> Result<(code: UInt16?, reasonLength: Int), FrameViolation> {
        switch payload.count {
        case 0:
            return .success((code: nil, reasonLength: 0))
        case 1:
            return .failure(FrameViolation(.invalidClosePayload))
        default:
            let code = UInt16(bigEndian: payload.loadUnaligned(as: UInt16.self))
            guard CloseCode.isValidOnWire(code) else { return .failure(FrameViolation(.invalidCloseCode)) }
            let reason = UnsafeRawBufferPointer(rebasing: payload[2...])
            guard UTF8Validator.isValidUTF8(reason) else { return .failure(FrameViolation(.invalidUTF8)) }
            return .success((code: code, reasonLength: reason.count))
        }
    }

    /// The length of the longest prefix of valid UTF-8 `reason` that fits `maxReasonLength` and ends on a
    /// scalar boundary.
    @inlinable
    public static func truncatedReasonLength(_ reason: UnsafeBufferPointer<UInt8>) -> Int {
        guard reason.count > maxReasonLength else { return reason.count }
        var cut = maxReasonLength
        // Back up over continuation bytes (10xxxxxx) so the byte at `cut` starts a scalar.
        while cut > 0 && reason[cut] & 0xC0 == 0x80 {
            cut -= 1
        }
        return cut
    }
}
