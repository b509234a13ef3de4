/// A streaming UTF-8 validator: a text message may be fed in chunks split anywhere, even inside a scalar.
///
/// Rejects overlong forms, surrogates (U+D800–DFFF), scalars above U+10FFFF, the never-valid bytes
/// 0xC0, 0xC1 and 0xF5–0xFF, and stray continuation bytes (Unicode Table 3-7). ASCII runs are checked
/// 8 bytes at a time.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the current scalar.
    @usableFromInline var pending: UInt8 = 0
    /// Allowed range of the next continuation byte; narrower than 0x80...0xBF only for a scalar's second byte.
    @usableFromInline var low: UInt8 = 0x80
    @usableFromInline var high: UInt8 = 0xBF
    @usableFromInline var failed = false

    /// A validator at the start of a text.
    @inlinable
    public init() {}

    /// Whether every byte fed so far could begin valid UTF-8.
    @inlinable public var isValid: Bool { !failed }

    /// Whether the bytes so far are valid and end on a scalar boundary, as a finished text message must.
    @inlinable public var isAtBoundary: Bool { !failed && pending == 0 }

    /// Starts over for a new text.
    @inlinable
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// Validates the next chunk; returns false once any byte so far was invalid.
    @inlinable
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !failed else { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var pending = self.pending
        var low = self.low
        var high = self.high
        var offset = 0
        while offset < count {
            if pending == 0 {
                if offset &+ 8 <= count, Self.isASCII(base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) {
                    offset &+= 8
                    // Long ASCII runs: check 32 bytes per step.
                    while offset &+ 32 <= count {
                        let p = base + offset
                        let any = p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                            | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                            | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                        guard Self.isASCII(any) else { break }
                        offset &+= 32
                    }
                    continue
                }
                let lead = base.load(fromByteOffset: offset, as: UInt8.self)
                offset &+= 1
                if lead < 0x80 { continue }
                switch lead {
                case 0xC2...0xDF: pending = 1
                case 0xE0: pending = 2; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: pending = 2
                case 0xED: pending = 2; high = 0x9F
                case 0xF0: pending = 3; low = 0x90
                case 0xF1...0xF3: pending = 3
                case 0xF4: pending = 3; high = 0x8F
                default:
                    failed = true
                    return false
                }
            } else {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                offset &+= 1
                guard byte >= low && byte <= high else {
                    failed = true
                    return false
                }
                pending &-= 1
                low = 0x80
                high = 0xBF
            }
        }
        self.pending = pending
        self.low = low
        self.high = high
        return true
    }

    @inlinable
    static func isASCII(_ word: UInt64) -> Bool {
        word & 0x8080_8080_8080_8080 == 0
    }

    /// Whether `bytes` are complete, valid UTF-8.
    @inlinable
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isAtBoundary
    }
}
