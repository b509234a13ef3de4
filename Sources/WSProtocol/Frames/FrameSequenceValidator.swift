/// Checks each frame header of one direction against RFC 6455's rules before any payload is forwarded,
/// and tracks the fragmentation state of the current data message.
///
/// `allowedRSV` bits (as in byte 0, e.g. 0x40 for permessage-deflate) are per-message flags: they are
/// accepted only on the first frame of a data message, never on continuation or control frames (RFC 7692 §6).
public struct FrameSequenceValidator: Sendable {
    /// Whether frames must be masked (client-to-server) rather than unmasked (server-to-client).
    public let requireMasked: Bool
    /// RSV bits an extension negotiated for this connection, masked with 0x70.
    public let allowedRSV: UInt8
    /// Largest total payload of one data message, all fragments counted together.
    public let maxMessageSize: UInt64
    /// Largest payload of a single frame.
    public let maxFrameSize: UInt64

    @usableFromInline var _inMessage = false
    @usableFromInline var _messageOpcode: UInt8 = 0
    @usableFromInline var _messageBytes: UInt64 = 0

    /// Whether a fragmented data message has started and its final frame has not been seen yet.
    @inlinable public var inMessage: Bool { _inMessage }
    /// Opcode (text or binary) of the message the latest data frame belongs to; kept after its final frame.
    @inlinable public var messageOpcode: UInt8 { _messageOpcode }
    /// Payload bytes of that message so far, including the latest checked data frame.
    @inlinable public var messageBytes: UInt64 { _messageBytes }

    /// Creates a validator for one direction of a connection.
    public init(
        requireMasked: Bool, allowedRSV: UInt8 = 0, maxMessageSize: UInt64 = .max, maxFrameSize: UInt64 = .max
    ) {
        self.requireMasked = requireMasked
        self.allowedRSV = allowedRSV & 0x70
        self.maxMessageSize = maxMessageSize
        self.maxFrameSize = maxFrameSize
    }

    /// Validates the next frame's header and advances the fragmentation state; on a violation the state is
    /// left unchanged (the connection is to be closed anyway).
    @inlinable @inline(__always)
    public mutating func check(_ h: FrameHeader) -> FrameViolation? {
        if h.masked != requireMasked {
            return FrameViolation(requireMasked ? .maskRequired : .maskForbidden)
        }
        guard WSOpcode.isKnown(h.opcode) else { return FrameViolation(.unknownOpcode) }
        if WSOpcode.isControl(h.opcode) {
            guard h.rsv == 0 else { return FrameViolation(.reservedBits) }
            guard h.payloadLength <= 125 else { return FrameViolation(.controlTooLong) }
            guard h.fin else { return FrameViolation(.controlFragmented) }
            return nil
        }
        guard h.payloadLength <= maxFrameSize else { return FrameViolation(.messageTooBig) }
        if h.opcode == WSOpcode.continuation {
            guard h.rsv == 0 else { return FrameViolation(.reservedBits) }
            guard _inMessage else { return FrameViolation(.unexpectedContinuation) }
            // _messageBytes never exceeds maxMessageSize, so the subtraction cannot wrap.
            guard h.payloadLength <= maxMessageSize &- _messageBytes else { return FrameViolation(.messageTooBig) }
            _messageBytes &+= h.payloadLength
        } else {
            guard h.rsv & ~allowedRSV == 0 else { return FrameViolation(.reservedBits) }
            guard !_inMessage else { return FrameViolation(.expectedContinuation) }
            guard h.payloadLength <= maxMessageSize else { return FrameViolation(.messageTooBig) }
            _messageOpcode = h.opcode
            _messageBytes = h.payloadLength
        }
        _inMessage = !h.fin
        return nil
    }
}
