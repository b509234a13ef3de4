/// Where to cut an input so incremental parsers see it in pieces; the cuts follow from the input's own
/// bytes, so a saved crash input replays with the same pieces.
public enum Chunking {
    /// FNV-1a over `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0100_0000_01B3
        }
        return value
    }

    /// Increasing prefix lengths ending with `count`: `pieces` pieces (fewer when `count` is small).
    public static func prefixEnds(count: Int, pieces: Int, seed: UInt64) -> [Int] {
        guard count > 0, pieces > 1 else { return [count] }
        var state = seed | 1
        var cuts: [Int] = []
        for _ in 1..<pieces {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            cuts.append(Int(state % UInt64(count + 1)))
        }
        return (Set(cuts).subtracting([count]).sorted()) + [count]
    }
}
