import Testing
import WSProtocol

@Suite struct CloseTests {
    func parseClose(_ bytes: [UInt8]) -> Result<(code: UInt16?, reasonLength: Int), FrameViolation> {
        bytes.withUnsafeBytes { ClosePayload.parse($0) }
    }

    func closePayload(code: UInt16, reason: [UInt8] = []) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
    }

    /// Writes a close frame, parses it back and returns its unmasked payload.
    func writeAndReadClose(code: UInt16, reason: String, key: UInt32?) -> [UInt8] {
        var frame = [UInt8](repeating: 0, count: FrameWriter.maxControlFrameSize)
        let size = frame.withUnsafeMutableBytes {
            FrameWriter.writeCloseFrame(into: $0.baseAddress!, code: code, reason: reason, maskKey: key)
        }
        #expect(size <= FrameWriter.maxControlFrameSize)
        guard case .header(let h) = parseHeader(frame) else {
            Issue.record("close frame header does not parse")
            return []
        }
        #expect(h.fin && h.opcode == WSOpcode.close && h.masked == (key != nil) && h.maskKey == (key ?? 0))
        #expect(h.headerLength + Int(h.payloadLength) == size)
        var payload = Array(frame[h.headerLength..<size])
        if let key {
            _ = payload.withUnsafeMutableBytes { applyMask($0, key: key, phase: 0) }
        }
        return payload
    }

    @Test func wireValidityOfEveryCode() {
        for code in UInt16(0)...UInt16.max {
            let expected = (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
            #expect(CloseCode.isValidOnWire(code) == expected, "code \(code)")
        }
    }

    @Test func namedCodes() {
        let codes: [(CloseCode, UInt16)] = [
            (.normal, 1000), (.goingAway, 1001), (.protocolError, 1002), (.unsupportedData, 1003),
            (.noStatusReceived, 1005), (.abnormalClosure, 1006), (.invalidPayload, 1007), (.policyViolation, 1008),
            (.messageTooBig, 1009), (.mandatoryExtension, 1010), (.internalError, 1011), (.serviceRestart, 1012),
            (.tryAgainLater, 1013), (.badGateway, 1014),
        ]
        for (code, raw) in codes {
            #expect(code.rawValue == raw)
        }
        #expect(!CloseCode.isValidOnWire(CloseCode.noStatusReceived.rawValue))
        #expect(!CloseCode.isValidOnWire(CloseCode.abnormalClosure.rawValue))
    }

    @Test func emptyPayloadHasNoCode() throws {
        let parsed = try parseClose([]).get()
        #expect(parsed.code == nil && parsed.reasonLength == 0)
    }

    @Test func oneBytePayloadIsProtocolError() {
        #expect(throws: FrameViolation(.invalidClosePayload)) { try parseClose([0x03]).get() }
        #expect(FrameViolation(.invalidClosePayload).closeCode == 1002)
    }

    @Test(arguments: [UInt16(0), 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535])
    func codeNotAllowedOnWireIsProtocolError(code: UInt16) {
        #expect(throws: FrameViolation(.invalidCloseCode)) { try parseClose(closePayload(code: code)).get() }
    }

    @Test(arguments: [UInt16(1000), 1001, 1003, 1007, 1014, 3000, 4999])
    func validCodeWithReason(code: UInt16) throws {
        let reason = Array("bye κόσμε".utf8)
        let parsed = try parseClose(closePayload(code: code, reason: reason)).get()
        #expect(parsed.code == code && parsed.reasonLength == reason.count)
    }

    @Test(arguments: [[UInt8(0xFF)], [0xCE, 0xBA, 0xC3], [0xED, 0xA0, 0x80], [0x80]])
    func invalidUTF8ReasonIs1007(reason: [UInt8]) {
        #expect(throws: FrameViolation(.invalidUTF8)) { try parseClose(closePayload(code: 1000, reason: reason)).get() }
        #expect(FrameViolation(.invalidUTF8).closeCode == 1007)
    }

    @Test(arguments: [nil, UInt32(0x0BAD_F00D)])
    func closeFrameRoundTrip(key: UInt32?) throws {
        let payload = writeAndReadClose(code: 1001, reason: "shutting down", key: key)
        #expect(payload == closePayload(code: 1001, reason: Array("shutting down".utf8)))
        let parsed = try parseClose(payload).get()
        #expect(parsed.code == 1001 && parsed.reasonLength == 13)
    }

    @Test func longASCIIReasonTruncatedTo123Bytes() {
        let payload = writeAndReadClose(code: 1000, reason: String(repeating: "x", count: 200), key: nil)
        #expect(payload.count == 125)
        let exact = writeAndReadClose(code: 1000, reason: String(repeating: "y", count: 123), key: 0x01020304)
        #expect(exact == closePayload(code: 1000, reason: Array(repeating: UInt8(ascii: "y"), count: 123)))
    }

    @Test(arguments: [("é", 2), ("€", 3), ("😀", 4)])
    func truncationStopsAtScalarBoundary(scalar: String, width: Int) throws {
        // Put the multi-byte scalar so that it straddles the 123-byte limit at every possible position.
        for prefixLength in (123 - width + 1)...122 {
            let reason = String(repeating: "a", count: prefixLength) + scalar + "tail"
            let payload = writeAndReadClose(code: 1000, reason: reason, key: 0xA5A5_5A5A)
            #expect(payload.count - 2 == prefixLength, "prefix \(prefixLength)")
            #expect(try parseClose(payload).get().reasonLength == prefixLength)
        }
        // When it ends exactly at the limit it is kept.
        let fits = String(repeating: "a", count: 123 - width) + scalar + "tail"
        #expect(writeAndReadClose(code: 1000, reason: fits, key: nil).count == 125)
    }

    @Test(arguments: [nil, UInt32(0x7F00_00FF)])
    func controlFrameRoundTrip(key: UInt32?) {
        let payload = (0..<125).map { UInt8($0) }
        var frame = [UInt8](repeating: 0, count: FrameWriter.maxControlFrameSize)
        let size = frame.withUnsafeMutableBytes { out in
            payload.withUnsafeBytes {
                FrameWriter.writeControlFrame(into: out.baseAddress!, opcode: WSOpcode.ping, payload: $0, maskKey: key)
            }
        }
        #expect(size == (key == nil ? 127 : 131))
        guard case .header(let h) = parseHeader(frame) else {
            Issue.record("ping header does not parse")
            return
        }
        #expect(h.fin && h.opcode == WSOpcode.ping && h.payloadLength == 125 && h.masked == (key != nil))
        var body = Array(frame[h.headerLength..<size])
        if let key {
            #expect(body != payload)
            _ = body.withUnsafeMutableBytes { applyMask($0, key: key, phase: 0) }
        }
        #expect(body == payload)
    }

    @Test func emptyControlFrame() {
        var frame = [UInt8](repeating: 0xEE, count: 8)
        let size = frame.withUnsafeMutableBytes {
            FrameWriter.writeControlFrame(
                into: $0.baseAddress!, opcode: WSOpcode.pong, payload: UnsafeRawBufferPointer(start: nil, count: 0),
                maskKey: nil)
        }
        #expect(size == 2 && Array(frame[..<2]) == [0x8A, 0x00])
    }
}
