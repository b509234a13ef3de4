import Testing
import WSProtocol

@Suite struct MaskTests {
    static let keyBytes: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

    /// The obvious byte loop the word-wise implementation must match.
    func naiveMask(_ bytes: [UInt8], keyBytes: [UInt8], phase: Int) -> [UInt8] {
        bytes.enumerated().map { $0.element ^ keyBytes[(phase + $0.offset) % 4] }
    }

    func sample(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    /// Masks `bytes` in place at byte offset `misalignment` of a larger buffer, so unaligned starts are covered.
    func mask(_ bytes: [UInt8], key: UInt32, phase: Int, misalignment: Int = 0) -> (bytes: [UInt8], phase: Int) {
        var storage = [UInt8](repeating: 0xEE, count: bytes.count + misalignment + 8)
        storage.replaceSubrange(misalignment..<(misalignment + bytes.count), with: bytes)
        let newPhase = storage.withUnsafeMutableBytes {
            applyMask(.init(rebasing: $0[misalignment..<(misalignment + bytes.count)]), key: key, phase: phase)
        }
        #expect(storage[(misalignment + bytes.count)...].allSatisfy { $0 == 0xEE }, "wrote past the end")
        #expect(storage[..<misalignment].allSatisfy { $0 == 0xEE }, "wrote before the start")
        return (Array(storage[misalignment..<(misalignment + bytes.count)]), newPhase)
    }

    @Test(arguments: Array(0...100) + Array(4090...4102))
    func matchesByteLoopAtEveryPhase(length: Int) {
        let payload = sample(length)
        for phase in 0..<4 {
            for misalignment in [0, 1, 3] {
                let result = mask(payload, key: maskKey(Self.keyBytes), phase: phase, misalignment: misalignment)
                #expect(result.bytes == naiveMask(payload, keyBytes: Self.keyBytes, phase: phase))
                #expect(result.phase == (phase + length) % 4)
            }
        }
    }

    @Test func phaseBeyondThreeIsTakenModuloFour() {
        let payload = sample(13)
        let result = mask(payload, key: maskKey(Self.keyBytes), phase: 4 * 1000 + 3)
        #expect(result.bytes == naiveMask(payload, keyBytes: Self.keyBytes, phase: 3))
        #expect(result.phase == (3 + 13) % 4)
    }

    @Test(arguments: [1, 7, 8, 9, 33, 64, 100, 4097])
    func splitCallsWithCarriedPhaseEqualOneCall(length: Int) {
        let payload = sample(length)
        let key = maskKey(Self.keyBytes)
        let whole = mask(payload, key: key, phase: 0).bytes
        for split in 0...length {
            let first = mask(Array(payload[..<split]), key: key, phase: 0)
            let second = mask(Array(payload[split...]), key: key, phase: first.phase)
            #expect(first.bytes + second.bytes == whole, "split at \(split)")
        }
    }

    @Test func threeChunksOfOddSizes() {
        let payload = sample(1000)
        let key = maskKey(Self.keyBytes)
        let a = mask(Array(payload[..<333]), key: key, phase: 0)
        let b = mask(Array(payload[333..<334]), key: key, phase: a.phase)
        let c = mask(Array(payload[334...]), key: key, phase: b.phase)
        #expect(a.bytes + b.bytes + c.bytes == naiveMask(payload, keyBytes: Self.keyBytes, phase: 0))
    }

    @Test(arguments: [0, 5, 64, 4099])
    func remaskingWithCombinedKeyEqualsMaskingWithNewKey(length: Int) {
        let payload = sample(length)
        let old = maskKey(Self.keyBytes)
        let new = maskKey([0x9C, 0x01, 0xE4, 0x58])
        for phase in 0..<4 {
            let maskedWithOld = mask(payload, key: old, phase: phase).bytes
            let remasked = mask(maskedWithOld, key: remaskKey(old: old, new: new), phase: phase).bytes
            #expect(remasked == mask(payload, key: new, phase: phase).bytes)
            #expect(mask(remasked, key: new, phase: phase).bytes == payload)
        }
    }

    @Test func emptyBufferKeepsPhase() {
        #expect(applyMask(UnsafeMutableRawBufferPointer(start: nil, count: 0), key: 0xFFFF_FFFF, phase: 2) == 2)
    }

    @Test func keySourceHandsOutVariedKeysAcrossRefills() {
        let source = MaskKeySource()
        // 3000 keys span three 4 KiB batches; random 32-bit keys collide with probability ~0.1%.
        let keys = (0..<3000).map { _ in source.next() }
        #expect(Set(keys).count >= 2990)
        #expect(keys.filter { $0 == 0 }.count <= 1)
    }
}
