import FuzzSupport
import WSProtocol

/// Payload oracles: unmasking, close payloads.
enum PayloadCheck {
    /// The payload unmasked by `applyMask` in up to three pieces (carrying the phase), after checking it
    /// against a byte-at-a-time XOR.
    static func unmasked(_ masked: UnsafeRawBufferPointer, key: UInt32?, seed: UInt64) -> [UInt8] {
        guard let key else { return Array(masked) }
        let keyBytes = withUnsafeBytes(of: key) { Array($0) }
        let expected = masked.enumerated().map { $0.element ^ keyBytes[$0.offset % 4] }
        var pieced = Array(masked)
        pieced.withUnsafeMutableBytes { bytes in
            var phase = 0
            var start = 0
            for end in Chunking.prefixEnds(count: bytes.count, pieces: 3, seed: seed &+ UInt64(bytes.count)) {
                phase = applyMask(UnsafeMutableRawBufferPointer(rebasing: bytes[start..<end]), key: key, phase: phase)
                start = end
            }
            fuzzCheck(phase == bytes.count % 4, "phase \(phase) after \(bytes.count) bytes")
        }
        fuzzCheck(pieced == expected, "applyMask in pieces differs from a plain XOR")
        return pieced
    }

    /// `ClosePayload.parse` against RFC 6455 §7.4: empty, or a code valid on the wire plus UTF-8; and the
    /// reason truncation used for the gateway's own close frames.
    static func closePayload(_ payload: [UInt8]) {
        let result = payload.withUnsafeBytes { ClosePayload.parse($0) }
        let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        let validCode = code.map { (1000...1003).contains($0) || (1007...1014).contains($0) || (3000...4999).contains($0) }
        let reason = Array(payload.dropFirst(2))
        let validReason = String(validating: reason, as: UTF8.self) != nil
        switch result {
        case .success(let close):
            fuzzCheck(payload.isEmpty ? close.code == nil : (close.code == code && validCode == true && validReason
                      && close.reasonLength == reason.count), "accepted close payload \(payload)")
        case .failure(let violation):
            let expected: FrameViolation.Kind = payload.count == 1 ? .invalidClosePayload
                : validCode == false ? .invalidCloseCode : .invalidUTF8
            fuzzCheck(!payload.isEmpty && violation.kind == expected, "refused \(payload) with \(violation)")
        }
        guard validReason else { return }
        let cut = reason.withUnsafeBufferPointer { ClosePayload.truncatedReasonLength($0) }
        fuzzCheck(cut <= ClosePayload.maxReasonLength && cut <= reason.count, "truncated to \(cut)")
        fuzzCheck(String(validating: reason[..<cut], as: UTF8.self) != nil, "truncation split a scalar")
    }
}

/// Follows the text messages of a stream through `UTF8Validator`, fed frame by frame (fragments split
/// scalars anywhere), and compares the verdict at each message's end with the standard library's decoder.
struct TextMessageCheck {
    private var validator = UTF8Validator()
    private var message: [UInt8] = []
    private var isText = false

    mutating func feed(_ payload: [UInt8], of header: FrameHeader, messageOpcode: UInt8, complete: Bool) {
        if header.opcode != WSOpcode.continuation {
            validator.reset()
            message = []
            isText = messageOpcode == WSOpcode.text
        }
        guard isText else { return }
        let stillValid = payload.withUnsafeBytes { validator.feed($0) }
        message += payload
        let prefixValid = Self.isValidPrefix(message)
        fuzzCheck(stillValid == prefixValid && validator.isValid == prefixValid,
                  "UTF8Validator says \(stillValid) for a prefix that is \(prefixValid ? "" : "not ")valid: \(message.suffix(8))")
        guard header.fin, complete else { return }
        let whole = String(validating: message, as: UTF8.self) != nil
        fuzzCheck(validator.isAtBoundary == whole, "finished text message: validator \(validator.isAtBoundary), decoder \(whole)")
        fuzzCheck(message.withUnsafeBytes { UTF8Validator.isValidUTF8($0) } == whole, "isValidUTF8 disagrees")
    }

    /// Whether `bytes` could begin valid UTF-8: valid after dropping an unfinished scalar at the end.
    static func isValidPrefix(_ bytes: [UInt8]) -> Bool {
        for drop in 0...min(3, bytes.count) where String(validating: bytes.dropLast(drop), as: UTF8.self) != nil {
            // A dropped tail must itself be the start of some scalar: completing it with continuation
            // bytes has to give valid UTF-8.
            let tail = Array(bytes.suffix(drop))
            return drop == 0 || Self.canComplete(tail)
        }
        return false
    }

    /// Whether some continuation bytes complete `tail` (1–3 bytes) to one valid scalar.
    static func canComplete(_ tail: [UInt8]) -> Bool {
        for length in (tail.count + 1)...4 {
            for filler: UInt8 in [0x80, 0x90, 0xA0, 0xBF] {
                let candidate = tail + [UInt8](repeating: filler, count: length - tail.count)
                if String(validating: candidate, as: UTF8.self) != nil { return true }
            }
        }
        return false
    }
}
