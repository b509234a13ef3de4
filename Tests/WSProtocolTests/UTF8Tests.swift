import Testing
import WSProtocol

@Suite struct UTF8Tests {
    static let validTexts = [
        "", "Hello, world", "κόσμε", "Hello-µ@ßöäüàá-UTF-8!!", "€ 100", "𝄞 clef", "日本語のテキスト",
        "mixed ascii and ünïcödé with emoji 😀👍🏽 and more ascii to cross several words",
        "\u{0}\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}",
    ]

    func validate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { UTF8Validator.isValidUTF8($0) }
    }

    /// Feeds `chunks` one after another; returns what the last feed said and whether it ended at a boundary.
    func feed(_ chunks: [ArraySlice<UInt8>]) -> (ok: Bool, atBoundary: Bool) {
        var validator = UTF8Validator()
        var ok = true
        for chunk in chunks {
            ok = Array(chunk).withUnsafeBytes { validator.feed($0) }
        }
        return (ok, validator.isAtBoundary)
    }

    @Test(arguments: validTexts)
    func validTextSplitAtEveryByte(text: String) {
        let bytes = Array(text.utf8)
        #expect(validate(bytes))
        for split in 0...bytes.count {
            let result = feed([bytes[..<split], bytes[split...]])
            #expect(result.ok && result.atBoundary, "split at \(split)")
        }
        let byteByByte = feed(bytes.indices.map { bytes[$0...$0] })
        #expect(byteByByte.ok && byteByByte.atBoundary)
    }

    static let invalidSequences: [[UInt8]] = [
        [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF],  // overlong 2 and 3 bytes
        [0xF0, 0x80, 0x80, 0xAF], [0xF0, 0x8F, 0xBF, 0xBF],  // overlong 4 bytes
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80],  // surrogates and a pair
        [0xF4, 0x90, 0x80, 0x80], [0xF7, 0xBF, 0xBF, 0xBF],  // above U+10FFFF
        [0xC0], [0xC1], [0xF5], [0xF8], [0xFC], [0xFE], [0xFF],  // never-valid bytes
        [0x80], [0xBF], [0x41, 0x80, 0x41], [0xCE, 0xBA, 0x80, 0x80],  // stray continuations
        [0xE2, 0x82, 0x41], [0xF0, 0x9D, 0x41],  // sequence interrupted by ASCII
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80],  // old 5- and 6-byte forms
    ]

    @Test(arguments: invalidSequences)
    func invalidSequenceRejectedWithinAnyContext(sequence: [UInt8]) {
        let bytes = Array("κόσμε ".utf8) + sequence + Array(" edited".utf8)
        #expect(!validate(bytes))
        for split in 0...bytes.count {
            #expect(!feed([bytes[..<split], bytes[split...]]).ok, "split at \(split)")
        }
    }

    @Test func failsAsSoonAsTheBadByteArrivesAndStaysFailed() {
        var validator = UTF8Validator()
        let good = Array("κόσμε".utf8)
        #expect(good.withUnsafeBytes { validator.feed($0) })
        // A surrogate's second byte is wrong immediately, before the message ends.
        #expect(![UInt8(0xED), 0xA0].withUnsafeBytes { validator.feed($0) })
        #expect(!validator.isValid && !validator.isAtBoundary)
        #expect(!good.withUnsafeBytes { validator.feed($0) })
        validator.reset()
        #expect(good.withUnsafeBytes { validator.feed($0) } && validator.isAtBoundary)
    }

    @Test(arguments: [[UInt8(0xCE)], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF4, 0x8F, 0xBF]])
    func truncatedSequenceAtEndIsNotAtBoundary(tail: [UInt8]) {
        var validator = UTF8Validator()
        let bytes = Array("Hello".utf8) + tail
        #expect(bytes.withUnsafeBytes { validator.feed($0) })
        #expect(validator.isValid && !validator.isAtBoundary)
        #expect(!validate(bytes))
    }

    @Test func nonASCIIAtEveryPositionOfTheWordFastPath() {
        // 80 bytes cover the 8-byte and the 32-byte ASCII steps and the byte-wise tail.
        for position in 0..<80 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 80)
            bytes[position] = 0xFF
            #expect(!validate(bytes), "0xFF at \(position)")
            var withScalar = [UInt8](repeating: UInt8(ascii: "a"), count: 80)
            withScalar.replaceSubrange(position..<position + 1, with: [0xC3, 0xA9])
            #expect(validate(withScalar), "é at \(position)")
        }
    }

    /// Compares against the standard library's validator over every 1- and 2-byte input, all 3-byte inputs
    /// for the lead bytes with special second-byte ranges, and 4-byte inputs across the interesting ranges.
    @Test func agreesWithStandardLibraryOnShortInputs() {
        var inputs: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for a in 0...255 { for b in 0...255 { inputs.append([UInt8(a), UInt8(b)]) } }
        for lead: UInt8 in [0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xC2] {
            for b in 0...255 { for c in stride(from: 0, through: 255, by: 1) { inputs.append([lead, UInt8(b), UInt8(c)]) } }
        }
        for lead: UInt8 in [0xF0, 0xF1, 0xF3, 0xF4, 0xF5] {
            for b in 0...255 {
                for c: UInt8 in [0x41, 0x80, 0xBF, 0xC0] {
                    for d: UInt8 in [0x7F, 0x80, 0xBF, 0xC0] { inputs.append([lead, UInt8(b), c, d]) }
                }
            }
        }
        var disagreements: [[UInt8]] = []
        for input in inputs {
            let expected = String(validating: input, as: UTF8.self) != nil
            let streamed = feed(input.indices.map { input[$0...$0] })
            if validate(input) != expected || (streamed.ok && streamed.atBoundary) != expected {
                disagreements.append(input)
            }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(5))")
    }
}
