/// XORs `buffer` in place with the 4-byte mask `key` (as loaded by `loadUnaligned(as: UInt32.self)`).
///
/// `phase` is the number of payload bytes of this frame that came before `buffer` (only `phase % 4`
/// matters); the returned phase is the one to pass with the next chunk of the same frame. Masking and
/// unmasking are the same operation.
@inlinable
public func applyMask(_ buffer: UnsafeMutableRawBufferPointer, key: UInt32, phase: Int) -> Int {
    let phase = phase & 3
    guard let base = buffer.baseAddress else { return phase }
    let count = buffer.count
    let word = maskWord(key: key, phase: phase)

    // Eight bytes are a whole number of key periods, so every word uses the same rotated key.
    var offset = 0
    while offset &+ 32 <= count {
        let p = base + offset
        p.storeBytes(of: p.loadUnaligned(as: UInt64.self) ^ word, as: UInt64.self)
        p.storeBytes(of: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ word, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(
            of: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) ^ word, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(
            of: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self) ^ word, toByteOffset: 24, as: UInt64.self)
        offset &+= 32
    }
    while offset &+ 8 <= count {
        let p = base + offset
        p.storeBytes(of: p.loadUnaligned(as: UInt64.self) ^ word, as: UInt64.self)
        offset &+= 8
    }
    withUnsafeBytes(of: word) { keyBytes in
        var index = 0
        while offset < count {
            let p = base + offset
            p.storeBytes(of: p.load(as: UInt8.self) ^ keyBytes[index], as: UInt8.self)
            offset &+= 1
            index &+= 1
        }
    }
    return (phase &+ count) & 3
}

/// The mask key for re-masking a payload masked with `old` so that it ends up masked with `new`, in one pass.
@inlinable
public func remaskKey(old: UInt32, new: UInt32) -> UInt32 {
    old ^ new
}

/// Eight bytes of key in memory order, starting at key byte `phase`.
@inlinable
func maskWord(key: UInt32, phase: Int) -> UInt64 {
    // Rotate key byte `phase` to the lowest address; Swift's smart shifts make a 32-bit shift yield 0.
    let shift = UInt32(truncatingIfNeeded: phase &* 8)
    #if _endian(little)
        let rotated = key >> shift | key << (32 - shift)
    #else
        let rotated = key << shift | key >> (32 - shift)
    #endif
    return UInt64(rotated) | UInt64(rotated) << 32
}
