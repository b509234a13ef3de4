import Testing
import WSJSON

/// Feeds the parser many corrupted variants of a valid document: each must be accepted or rejected with
/// an offset inside the input, never crash.
@Suite struct JSONMutationTests {
    /// A small deterministic generator (xorshift64) so failures reproduce.
    struct XorShift {
        var state: UInt64

        mutating func next(below bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static let seed = Array(#"{"a":[1,-2.5e+3,"x\u00e9\ud83d\ude00\n",true,false,null,{"b":{}}],"c":"\u0000é"}"#.utf8)
    static let interesting: [UInt8] = Array(#"{}[]",:\u0123456789.eE+-tfn "#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]

    @Test func corruptedDocumentsNeverCrash() {
        var random = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = Self.seed
            for _ in 0...random.next(below: 4) {
                let position = random.next(below: bytes.count)
                switch random.next(below: 3) {
                case 0: bytes[position] = Self.interesting[random.next(below: Self.interesting.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(Self.interesting[random.next(below: Self.interesting.count)], at: position)
                }
                if bytes.isEmpty { break }
            }
            let outcome = bytes.withUnsafeBytes { buffer in
                Result { () throws(JSONParseError) in try JSONParser.parse(buffer) }
            }
            switch outcome {
            case .success: accepted += 1
            case .failure(let error): #expect((0...bytes.count).contains(error.offset))
            }
        }
        // Some mutations (e.g. one digit for another) stay valid; most must not.
        #expect(accepted > 0 && accepted < 20_000)
    }
}
