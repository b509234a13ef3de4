import Testing
import WSJSON

@Suite struct JSONStringTests {
    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\u0000""#, "\u{0}"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD834\uDD1E""#, "𝄞"),
        (#""x\ud83d\ude00y""#, "x😀y"),
        ("\"héllo wörld 😀\"", "héllo wörld 😀"),
        ("\"\u{7F}\"", "\u{7F}"),
    ] as [(String, String)])
    func decodesString(text: String, expected: String) {
        #expect(parsed(text) == .string(expected))
    }

    @Test(arguments: [
        (#""\ud83d""#, "high surrogate without a low surrogate"),
        (#""\ud83dx""#, "high surrogate without a low surrogate"),
        (#""\ud83d\u0041""#, "high surrogate without a low surrogate"),
        (#""\ud83d\ud83d""#, "high surrogate without a low surrogate"),
        (#""\ude00""#, "low surrogate without a high surrogate"),
        (#""\x""#, "invalid escape sequence"),
        (#""\u12""#, "truncated \\u escape"),
        (#""\u12g4""#, "invalid hex digit"),
        (#""\"#, "unterminated escape"),
        (#""abc"#, "unterminated string"),
        ("\"a\tb\"", "unescaped control character"),
        ("\"a\nb\"", "unescaped control character"),
        ("\"\u{0}\"", "unescaped control character"),
    ] as [(String, String)])
    func rejectsBadString(text: String, messageFragment: String) {
        let error = rejection(text)
        #expect(error?.message.contains(messageFragment) == true, "\(text): \(String(describing: error))")
    }

    @Test(arguments: [
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xC0, 0x80, 0x22],  // overlong NUL
        [0x22, 0xC1, 0xBF, 0x22],  // overlong
        [0x22, 0xE0, 0x80, 0x80, 0x22],  // overlong 3-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
        [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22],  // overlong 4-byte
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // invalid lead byte
        [0x22, 0xFF, 0x22],
        [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
        [0x22, 0xE2, 0x82],  // truncated at end of input
        [0x22, 0xC3, 0x41, 0x22],  // bad continuation
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        let error = rejection(bytes)
        #expect(error?.message.contains("UTF-8") == true, "\(bytes): \(String(describing: error))")
    }

    @Test func acceptsBoundaryScalars() throws {
        let bytes: [UInt8] = [0x22, 0xC2, 0x80, 0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF, 0xED, 0x9F, 0xBF, 0x22]
        #expect(try JSONParser.parse(bytes) == .string("\u{80}\u{FFFF}\u{10FFFF}\u{D7FF}"))
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(rejection([0xC3, 0xA9])?.offset == 0)
    }

    @Test func reportsOffsetOfBadEscape() {
        #expect(rejection(#"["ok", "a\q"]"#)?.offset == 9)
    }
}
