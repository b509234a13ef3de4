import WSProtocol

/// RFC 6455 §5's frame rules written out plainly, as the oracle for `FrameSequenceValidator`: which rules
/// a header breaks given the message state before it. The validator must flag a frame exactly when this
/// set is non-empty, and name one of the rules in it.
struct FrameRules {
    let requireMasked: Bool
    let maxMessageSize: UInt64
    let maxFrameSize: UInt64
    var inMessage = false
    var messageBytes: UInt64 = 0

    func broken(by h: FrameHeader) -> Set<FrameViolation.Kind> {
        var broken: Set<FrameViolation.Kind> = []
        if h.masked != requireMasked { broken.insert(requireMasked ? .maskRequired : .maskForbidden) }
        switch h.opcode {
        case 0x8, 0x9, 0xA:
            if h.rsv != 0 { broken.insert(.reservedBits) }
            if h.payloadLength > 125 { broken.insert(.controlTooLong) }
            if !h.fin { broken.insert(.controlFragmented) }
        case 0x0, 0x1, 0x2:
            if h.rsv != 0 { broken.insert(.reservedBits) }
            if h.payloadLength > maxFrameSize { broken.insert(.messageTooBig) }
            if h.opcode == 0x0 && !inMessage { broken.insert(.unexpectedContinuation) }
            if h.opcode != 0x0 && inMessage { broken.insert(.expectedContinuation) }
            let total = h.opcode == 0x0 ? messageBytes.addingReportingOverflow(h.payloadLength)
                : (partialValue: h.payloadLength, overflow: false)
            if total.overflow || total.partialValue > maxMessageSize { broken.insert(.messageTooBig) }
        default:
            broken.insert(.unknownOpcode)
        }
        return broken
    }

    /// Advances the message state past a frame that broke no rule.
    mutating func accept(_ h: FrameHeader) {
        guard h.opcode <= 0x2 else { return }
        messageBytes = h.opcode == 0x0 ? messageBytes + h.payloadLength : h.payloadLength
        inMessage = !h.fin
    }
}
