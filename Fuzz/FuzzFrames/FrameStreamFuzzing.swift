import FuzzSupport
import WSProtocol

/// Reads one input as a frame stream, the way a relay direction does: header, rules, payload (unmasked in
/// pieces), text messages through the streaming UTF-8 validator, close payloads through `ClosePayload`.
/// Each step is checked against an independent oracle: a plain model of the frame rules, byte-at-a-time
/// unmasking, the standard library's UTF-8 decoder, and the RFC's list of close codes.
///
/// The first byte configures the direction: bit 0 requires masking (client to server), bit 1 sets small
/// size limits (300-byte frames, 1000-byte messages); the rest choose where payloads are split.
enum FrameStreamFuzzing {
    static func run(_ input: UnsafeRawBufferPointer) {
        guard let config = input.first else { return }
        let stream = UnsafeRawBufferPointer(rebasing: input[1...])
        let small = config & 2 != 0
        var rules = FrameRules(requireMasked: config & 1 != 0, maxMessageSize: small ? 1_000 : .max,
                               maxFrameSize: small ? 300 : .max)
        var validator = FrameSequenceValidator(requireMasked: rules.requireMasked, maxMessageSize: rules.maxMessageSize,
                                               maxFrameSize: rules.maxFrameSize)
        var text = TextMessageCheck()
        var offset = 0
        while offset < stream.count {
            let rest = UnsafeRawBufferPointer(rebasing: stream[offset...])
            let header: FrameHeader
            switch FrameHeader.parse(rest) {
            case .incomplete:
                fuzzCheck(rest.count < FrameHeader.maxLength, "incomplete with \(rest.count) bytes")
                return
            case .invalid(let violation):
                fuzzCheck(violation.kind == .lengthTooLarge && rest[1] & 0x7F == 127 && rest[2] & 0x80 != 0,
                          "header refused: \(violation)")
                return
            case .header(let h):
                header = h
            }
            checkEncoding(header, rest)
            let broken = rules.broken(by: header)
            let violation = validator.check(header)
            fuzzCheck((violation == nil) == broken.isEmpty, "\(header): validator says \(String(describing: violation)), rules \(broken)")
            if let violation {
                fuzzCheck(broken.contains(violation.kind), "\(header): \(violation) is not among \(broken)")
                return
            }
            rules.accept(header)
            let available = rest.count - header.headerLength
            let length = header.payloadLength > UInt64(available) ? available : Int(header.payloadLength)
            let payload = PayloadCheck.unmasked(UnsafeRawBufferPointer(rebasing: rest[header.headerLength..<(header.headerLength + length)]),
                                                key: header.masked ? header.maskKey : nil, seed: UInt64(config))
            let complete = length == Int(header.payloadLength)
            if header.opcode == WSOpcode.close, complete {
                PayloadCheck.closePayload(payload)
            } else if header.opcode <= WSOpcode.binary {
                text.feed(payload, of: header, messageOpcode: validator.messageOpcode, complete: complete)
            }
            offset += header.headerLength + length
        }
    }

    /// The header's fields are what its bytes say; fewer bytes are incomplete; `FrameWriter` writes a
    /// minimally encoded header back byte for byte.
    static func checkEncoding(_ h: FrameHeader, _ bytes: UnsafeRawBufferPointer) {
        for short in [0, 1, h.headerLength - 1] where short < h.headerLength {
            fuzzCheck(FrameHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[..<short])) == .incomplete,
                      "\(short) of \(h.headerLength) header bytes did not parse as incomplete")
        }
        fuzzCheck(h.fin == (bytes[0] & 0x80 != 0) && h.rsv == bytes[0] & 0x70 && h.opcode == bytes[0] & 0x0F
                  && h.masked == (bytes[1] & 0x80 != 0), "\(h) from \(bytes[0]) \(bytes[1])")
        let minimal = FrameWriter.headerLength(payloadLength: Int(clamping: h.payloadLength), masked: h.masked)
        guard minimal == h.headerLength else { return }
        withUnsafeTemporaryAllocation(byteCount: FrameHeader.maxLength, alignment: 8) { out in
            let written = FrameWriter.writeHeader(into: out.baseAddress!, fin: h.fin, rsv: h.rsv, opcode: h.opcode,
                                                  payloadLength: Int(h.payloadLength), maskKey: h.masked ? h.maskKey : nil)
            fuzzCheck(written == h.headerLength && out[..<written].elementsEqual(bytes[..<written]),
                      "FrameWriter wrote \(Array(out[..<written])) for \(Array(bytes[..<h.headerLength]))")
        }
    }
}
