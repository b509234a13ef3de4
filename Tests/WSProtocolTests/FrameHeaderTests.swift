import Testing
import WSProtocol

@Suite struct FrameHeaderTests {
    static let boundaryLengths: [UInt64] = [0, 1, 125, 126, 127, 65535, 65536, 1 << 20, 1 << 32]
    static let keyBytes: [UInt8] = [0xA1, 0xB2, 0xC3, 0xD4]

    @Test(arguments: boundaryLengths, [false, true])
    func parsesEveryPrefixAsIncompleteUntilComplete(length: UInt64, masked: Bool) {
        let bytes = referenceHeader(
            opcode: WSOpcode.binary, length: length, maskKeyBytes: masked ? Self.keyBytes : nil)
        let expectedLength = (length < 126 ? 2 : length <= 0xFFFF ? 4 : 10) + (masked ? 4 : 0)
        #expect(bytes.count == expectedLength)
        for prefix in 0..<bytes.count {
            #expect(parseHeader(Array(bytes[..<prefix])) == .incomplete, "prefix \(prefix)")
        }
        let expected = FrameHeader(
            fin: true, rsv: 0, opcode: WSOpcode.binary, masked: masked,
            maskKey: masked ? maskKey(Self.keyBytes) : 0, payloadLength: length, headerLength: expectedLength)
        #expect(parseHeader(bytes) == .header(expected))
        // Payload bytes after the header must not change the result.
        #expect(parseHeader(bytes + [0xFF, 0xFF, 0xFF]) == .header(expected))
    }

    @Test func decodesFinRsvAndOpcodeBits() {
        let bytes = referenceHeader(fin: false, rsv: 0x50, opcode: WSOpcode.text, length: 5)
        guard case .header(let h) = parseHeader(bytes) else {
            Issue.record("expected a header")
            return
        }
        #expect(!h.fin)
        #expect(h.rsv == 0x50)
        #expect(h.opcode == WSOpcode.text)
        #expect(!h.masked)
        #expect(h.maskKey == 0)
    }

    @Test func rejectsLengthWithMostSignificantBitSet() {
        var bytes = referenceHeader(opcode: WSOpcode.binary, length: 1 << 32)
        bytes[2] = 0x80
        #expect(parseHeader(bytes) == .invalid(FrameViolation(.lengthTooLarge)))
        #expect(parseHeader(Array(bytes[..<9])) == .incomplete)
    }

    @Test func acceptsLargestLegalLength() {
        let bytes = referenceHeader(opcode: WSOpcode.binary, length: UInt64(Int64.max))
        guard case .header(let h) = parseHeader(bytes) else {
            Issue.record("expected a header")
            return
        }
        #expect(h.payloadLength == UInt64(Int64.max))
    }

    @Test(arguments: boundaryLengths, [false, true])
    func writerOutputParsesBack(length: UInt64, masked: Bool) {
        let key: UInt32? = masked ? 0xDEAD_BEEF : nil
        var buffer = [UInt8](repeating: 0, count: FrameHeader.maxLength)
        for (fin, rsv, opcode) in [(true, UInt8(0), WSOpcode.text), (false, 0x40, WSOpcode.binary),
                                   (false, 0x70, WSOpcode.continuation), (true, 0, WSOpcode.pong)] {
            let written = buffer.withUnsafeMutableBytes {
                FrameWriter.writeHeader(
                    into: $0.baseAddress!, fin: fin, rsv: rsv, opcode: opcode, payloadLength: Int(length),
                    maskKey: key)
            }
            #expect(written == FrameWriter.headerLength(payloadLength: Int(length), masked: masked))
            let expected = FrameHeader(
                fin: fin, rsv: rsv, opcode: opcode, masked: masked, maskKey: key ?? 0, payloadLength: length,
                headerLength: written)
            #expect(parseHeader(Array(buffer[..<written])) == .header(expected))
            #expect(Array(buffer[..<written]) == referenceHeader(
                fin: fin, rsv: rsv, opcode: opcode, length: length,
                maskKeyBytes: key.map { k in withUnsafeBytes(of: k) { Array($0) } }))
        }
    }

    @Test func opcodeClassification() {
        let known: Set<UInt8> = [0x0, 0x1, 0x2, 0x8, 0x9, 0xA]
        for opcode in UInt8(0)...0xF {
            #expect(WSOpcode.isKnown(opcode) == known.contains(opcode), "opcode \(opcode)")
            #expect(WSOpcode.isControl(opcode) == (opcode >= 8), "opcode \(opcode)")
        }
    }
}
