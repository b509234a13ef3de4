import Testing
import WSProtocol

@Suite struct FrameValidatorTests {
    /// Feeds headers in order and returns the first violation with the index of the frame that caused it.
    func firstViolation(
        _ headers: [FrameHeader], validator: FrameSequenceValidator = FrameSequenceValidator(requireMasked: true)
    ) -> (index: Int, violation: FrameViolation)? {
        var validator = validator
        for (index, h) in headers.enumerated() {
            if let violation = validator.check(h) { return (index, violation) }
        }
        return nil
    }

    func violationKind(_ headers: [FrameHeader], _ validator: FrameSequenceValidator? = nil) -> FrameViolation.Kind? {
        firstViolation(headers, validator: validator ?? FrameSequenceValidator(requireMasked: true))?.violation.kind
    }

    @Test func acceptsSimpleMessagesAndControlFrames() {
        let frames = [
            header(WSOpcode.text, length: 5), header(WSOpcode.binary, length: 70000),
            header(WSOpcode.ping, length: 125), header(WSOpcode.pong), header(WSOpcode.close, length: 2),
        ]
        #expect(firstViolation(frames) == nil)
    }

    @Test func reservedBitsRejectedUnlessNegotiated() {
        #expect(violationKind([header(WSOpcode.text, rsv: 0x40)]) == .reservedBits)
        #expect(violationKind([header(WSOpcode.binary, rsv: 0x10)]) == .reservedBits)
        let deflate = FrameSequenceValidator(requireMasked: true, allowedRSV: 0x40)
        #expect(violationKind([header(WSOpcode.text, rsv: 0x40)], deflate) == nil)
        #expect(violationKind([header(WSOpcode.text, rsv: 0x20)], deflate) == .reservedBits)
    }

    @Test func negotiatedRSVOnlyOnFirstFrameOfDataMessage() {
        let deflate = FrameSequenceValidator(requireMasked: true, allowedRSV: 0x40)
        let continuationWithRSV = [
            header(WSOpcode.text, fin: false, rsv: 0x40), header(WSOpcode.continuation, rsv: 0x40),
        ]
        #expect(violationKind(continuationWithRSV, deflate) == .reservedBits)
        #expect(violationKind([header(WSOpcode.ping, rsv: 0x40)], deflate) == .reservedBits)
    }

    @Test(arguments: [UInt8(0x3), 0x4, 0x7, 0xB, 0xF])
    func unknownOpcodeRejected(opcode: UInt8) {
        #expect(violationKind([header(opcode)]) == .unknownOpcode)
    }

    @Test func controlFrameRules() {
        #expect(violationKind([header(WSOpcode.ping, length: 126)]) == .controlTooLong)
        #expect(violationKind([header(WSOpcode.close, length: 65536)]) == .controlTooLong)
        #expect(violationKind([header(WSOpcode.pong, fin: false)]) == .controlFragmented)
    }

    @Test func maskingDirection() {
        #expect(violationKind([header(WSOpcode.text, masked: false)]) == .maskRequired)
        let fromServer = FrameSequenceValidator(requireMasked: false)
        #expect(violationKind([header(WSOpcode.text, masked: true)], fromServer) == .maskForbidden)
        #expect(violationKind([header(WSOpcode.text, masked: false)], fromServer) == nil)
    }

    @Test func fragmentedMessageWithInterleavedPing() {
        var validator = FrameSequenceValidator(requireMasked: true)
        #expect(validator.check(header(WSOpcode.text, fin: false, length: 3)) == nil)
        #expect(validator.inMessage && validator.messageOpcode == WSOpcode.text && validator.messageBytes == 3)
        #expect(validator.check(header(WSOpcode.continuation, fin: false, length: 4)) == nil)
        #expect(validator.check(header(WSOpcode.ping, length: 10)) == nil)
        #expect(validator.inMessage && validator.messageBytes == 7)
        #expect(validator.check(header(WSOpcode.continuation, fin: true, length: 5)) == nil)
        #expect(!validator.inMessage && validator.messageOpcode == WSOpcode.text && validator.messageBytes == 12)
        #expect(validator.check(header(WSOpcode.binary, length: 1)) == nil)
        #expect(validator.messageOpcode == WSOpcode.binary && validator.messageBytes == 1)
    }

    @Test func continuationOutsideMessageRejected() {
        #expect(violationKind([header(WSOpcode.continuation)]) == .unexpectedContinuation)
        let afterFinishedMessage = [
            header(WSOpcode.binary, fin: false), header(WSOpcode.continuation), header(WSOpcode.continuation),
        ]
        #expect(firstViolation(afterFinishedMessage)?.index == 2)
        #expect(violationKind(afterFinishedMessage) == .unexpectedContinuation)
    }

    @Test func newDataFrameInsideMessageRejected() {
        #expect(violationKind([header(WSOpcode.text, fin: false), header(WSOpcode.text)]) == .expectedContinuation)
        #expect(violationKind([header(WSOpcode.binary, fin: false), header(WSOpcode.text, fin: false)])
            == .expectedContinuation)
    }

    @Test func frameSizeLimit() {
        let validator = FrameSequenceValidator(requireMasked: true, maxFrameSize: 100)
        #expect(violationKind([header(WSOpcode.binary, length: 100)], validator) == nil)
        #expect(violationKind([header(WSOpcode.binary, length: 101)], validator) == .messageTooBig)
        let fragments = [header(WSOpcode.binary, fin: false, length: 50), header(WSOpcode.continuation, length: 101)]
        #expect(violationKind(fragments, validator) == .messageTooBig)
    }

    @Test func messageSizeCountsAllFragments() {
        let validator = FrameSequenceValidator(requireMasked: true, maxMessageSize: 100)
        let exactlyAtLimit = [
            header(WSOpcode.text, fin: false, length: 40), header(WSOpcode.continuation, fin: false, length: 40),
            header(WSOpcode.continuation, length: 20), header(WSOpcode.text, length: 100),
        ]
        #expect(firstViolation(exactlyAtLimit, validator: validator) == nil)
        let overByOne = [
            header(WSOpcode.text, fin: false, length: 40), header(WSOpcode.continuation, fin: false, length: 40),
            header(WSOpcode.continuation, length: 21),
        ]
        #expect(firstViolation(overByOne, validator: validator)?.index == 2)
        #expect(violationKind(overByOne, validator) == .messageTooBig)
        #expect(violationKind([header(WSOpcode.binary, length: 101)], validator) == .messageTooBig)
    }

    @Test func cumulativeSizeCannotWrapAround() {
        let validator = FrameSequenceValidator(requireMasked: true, maxMessageSize: UInt64(Int64.max))
        let huge = UInt64(Int64.max)
        let frames = [header(WSOpcode.binary, fin: false, length: huge), header(WSOpcode.continuation, length: huge)]
        #expect(violationKind(frames, validator) == .messageTooBig)
    }

    @Test func violationCloseCodesAndReasons() {
        for kind in FrameViolation.Kind.allCases {
            let violation = FrameViolation(kind)
            let expected: UInt16 = kind == .invalidUTF8 || kind == .invalidCompressedData ? 1007 : kind == .messageTooBig ? 1009 : 1002
            #expect(violation.closeCode == expected, "\(kind)")
            #expect(!violation.reason.isEmpty && violation.reason.utf8.count <= 123, "\(kind)")
        }
    }
}
