import Glibc

/// Test payloads of exact sizes, and a comparison that stays readable for megabytes.
enum Payloads {
    /// `size` bytes of valid UTF-8 mixing one-, two-, three- and four-byte characters.
    static func text(size: Int) -> [UInt8] {
        let unit = Array("wsgate ✓ ünïcode 🚀 0123456789 ".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        while size - bytes.count >= unit.count { bytes += unit }
        bytes += repeatElement(UInt8(ascii: "x"), count: size - bytes.count)
        return bytes
    }

    /// `size` pseudo-random bytes (deterministic for a seed), made eight at a time.
    static func binary(size: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed | 1
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            while offset < size {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                withUnsafeBytes(of: state) { word in
                    let n = min(8, size - offset)
                    raw.baseAddress!.advanced(by: offset).copyMemory(from: word.baseAddress!, byteCount: n)
                }
                offset += 8
            }
            count = size
        }
    }

    /// Nil when equal; otherwise where the two first differ, without printing megabytes.
    static func difference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
        if equal(actual, expected) { return nil }
        let common = min(actual.count, expected.count)
        let index = (0..<common).first { actual[$0] != expected[$0] } ?? common
        return "got \(actual.count) bytes, expected \(expected.count); first difference at byte \(index)"
    }

    /// Byte equality at memcmp speed (debug builds compare arrays element by element).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }
}
