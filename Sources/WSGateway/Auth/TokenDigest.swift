import COpenSSL

/// The SHA-256 of a static token. Tokens are looked up by digest, so the table never holds the tokens
/// themselves, and equality runs in constant time so a lookup reveals nothing about near misses.
struct TokenDigest: Hashable, Sendable {
    /// The 32 digest bytes.
    let bytes: [UInt8]

    /// Wraps 32 bytes that already are a SHA-256 digest (a `sha256:` entry).
    init?(digest: [UInt8]) {
        guard digest.count == 32 else { return nil }
        bytes = digest
    }

    /// The digest of `token`'s bytes.
    init(of token: some Collection<UInt8>) {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let data = Array(token)
        let status = data.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        // EVP_Digest with SHA-256 fails only when OpenSSL cannot allocate; nothing sensible can continue.
        precondition(status == 1 && length == 32, "SHA-256 failed")
        bytes = Array(digest[..<32])
    }

    /// Parses 64 hexadecimal digits (either case).
    init?(hex: Substring) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            decoded.append(high << 4 | low)
        }
        bytes = decoded
    }

    static func == (lhs: TokenDigest, rhs: TokenDigest) -> Bool {
        ConstantTime.equal(lhs.bytes, rhs.bytes)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Comparisons whose time does not depend on where secret bytes differ.
enum ConstantTime {
    /// True when `a` and `b` hold the same bytes; only the lengths (which are public) affect timing.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }
}
