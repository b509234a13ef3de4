/// Tests on eight bytes at once in a `UInt64` ("SIMD within a register"), for scans where the bytes looked
/// for are rare: a word without any is skipped whole, a word with one is looked at byte by byte.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True when some byte of `word` is below `limit` (at most 0x80). Exact for the word as a whole.
    @inline(__always)
    static func hasByteBelow(_ limit: UInt8, in word: UInt64) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    /// True when some byte of `word` equals `byte`.
    @inline(__always)
    static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
        hasByteBelow(1, in: word ^ (ones &* UInt64(byte)))
    }

    /// `word` with the ASCII capitals of its bytes turned to lower case, every other byte unchanged.
    @inline(__always)
    static func asciiLowercased(_ word: UInt64) -> UInt64 {
        let heptets = word & ~highBits
        // High bit of each byte: at least "A", at least "Z" + 1; with ~word, only ASCII bytes count.
        let fromA = heptets &+ ones &* UInt64(0x80 - 0x41)
        let pastZ = heptets &+ ones &* UInt64(0x80 - 0x5B)
        let capitals = fromA & ~pastZ & ~word & highBits
        return word | capitals >> 2
    }
}
