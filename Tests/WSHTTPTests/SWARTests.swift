import Testing
@testable import WSHTTP

/// The word-at-a-time tests must agree with the byte-at-a-time definitions they replace.
@Suite struct SWARTests {
    /// Words built from bytes around every boundary the scans care about, in every position.
    private static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x09, 0x0A, 0x0D, 0x0E, 0x1F, 0x20, 0x21, 0x3F, 0x40, 0x41, 0x4D, 0x5A, 0x5B, 0x5E, 0x60,
        0x61, 0x7A, 0x7B, 0x7E, 0x7F, 0x80, 0xC1, 0xDA, 0xFF,
    ]

    private func words(count: Int) -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<8).map { _ in Self.interestingBytes.randomElement(using: &generator)! }
        }
    }

    private func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test func byteBelowAgreesWithAByteScan() {
        for bytes in words(count: 20_000) {
            for limit: UInt8 in [0x01, 0x0E, 0x20, 0x80] {
                #expect(SWAR.hasByteBelow(limit, in: word(bytes)) == bytes.contains { $0 < limit })
            }
            #expect(SWAR.hasByte(0x7F, in: word(bytes)) == bytes.contains(0x7F))
        }
    }

    @Test func lowercasingChangesOnlyASCIICapitals() {
        for bytes in words(count: 20_000) {
            let lowered = withUnsafeBytes(of: SWAR.asciiLowercased(word(bytes))) { Array($0) }
            #expect(lowered == bytes.map(HTTPSyntax.asciiLower))
        }
    }

    @Test func fieldValueCheckAgreesWithAByteScan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? UInt8(ascii: "a") : Self.interestingBytes.randomElement(using: &generator)!
            }
            let expected: HTTPSyntax.FieldValueCheck = !bytes.allSatisfy(HTTPSyntax.isFieldValueChar) ? .invalid
                : bytes.contains { $0 >= 0x80 } ? .nonASCII : .ascii
            #expect(bytes.withUnsafeBytes(HTTPSyntax.checkFieldValue) == expected, "\(bytes)")
        }
    }

    @Test func caseInsensitiveEqualityAgreesWithAByteScan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...20, using: &generator)
            let left = (0..<length).map { _ in Self.interestingBytes.randomElement(using: &generator)! }
            // Mostly the same bytes with some case flipped, so equal pairs are common.
            let right = left.map { byte in
                Int.random(in: 0..<4, using: &generator) == 0 ? Self.interestingBytes.randomElement(using: &generator)!
                    : Bool.random(using: &generator) && (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            }
            let expected = left.map(HTTPSyntax.asciiLower) == right.map(HTTPSyntax.asciiLower)
            let actual = left.withUnsafeBytes { a in right.withUnsafeBytes { b in HTTPSyntax.equalsIgnoringCase(a, b) } }
            #expect(actual == expected, "\(left) \(right)")
        }
    }
}
