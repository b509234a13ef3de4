/// DER `SubjectPublicKeyInfo` (RFC 5280) for JWK public keys, so OpenSSL can load them with `d2i_PUBKEY`
/// without the parameter-building API.
enum SubjectPublicKeyInfo {
    /// An RSA key (RFC 3279 `RSAPublicKey`) from big-endian modulus and exponent.
    static func rsa(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        let publicKey = sequence(integer(modulus) + integer(exponent))
        return sequence(sequence(rsaEncryption + null) + bitString(publicKey))
    }

    /// A P-256 key from its 32-byte affine coordinates (uncompressed point, SEC 1).
    static func p256(x: [UInt8], y: [UInt8]) -> [UInt8] {
        sequence(sequence(ecPublicKey + prime256v1) + bitString([0x04] + x + y))
    }

    private static let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let ecPublicKey: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let prime256v1: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    private static let null: [UInt8] = [0x05, 0x00]

    private static func sequence(_ content: [UInt8]) -> [UInt8] { element(tag: 0x30, content) }

    private static func bitString(_ content: [UInt8]) -> [UInt8] { element(tag: 0x03, [0x00] + content) }

    /// A non-negative INTEGER: leading zeros dropped, one zero added when the top bit would read as a sign.
    private static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.first.map({ $0 & 0x80 != 0 }) ?? true { bytes.insert(0, at: 0) }
        return element(tag: 0x02, bytes)
    }

    private static func element(tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// Definite-length encoding: short form below 128, else the big-endian count after 0x80 | width.
    private static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(count)] }
        var digits: [UInt8] = []
        var rest = count
        while rest > 0 {
            digits.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(digits.count)] + digits
    }
}
