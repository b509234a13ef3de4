import COpenSSL

/// The client nonce `Sec-WebSocket-Key` (RFC 6455 section 4.1).
public enum WebSocketKey {
    /// A fresh key: 16 random bytes, base64-encoded.
    public static func generate() -> String {
        var nonce = [UInt8](repeating: 0, count: 16)
        if RAND_bytes(&nonce, Int32(nonce.count)) != 1 {
            // The key only has to be unpredictable enough to defeat caching proxies; the system generator will do.
            var generator = SystemRandomNumberGenerator()
            for index in nonce.indices { nonce[index] = generator.next() }
        }
        return nonce.withUnsafeBytes { Base64.encode($0) }
    }

    /// True when `key` is canonical base64 of exactly 16 bytes: 22 alphabet characters, then "==".
    public static func isValid(_ key: String) -> Bool {
        key.withUTF8Bytes(isValid)
    }

    private static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else {
            return false
        }
        var last: UInt8 = 0
        for character in bytes[..<22] {
            guard let value = Base64.sextet(character) else { return false }
            last = value
        }
        // The final character carries only the last 2 bits of byte 16; non-zero filler bits are not canonical.
        return last & 0x0F == 0
    }
}
