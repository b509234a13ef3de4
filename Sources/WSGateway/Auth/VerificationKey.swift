import COpenSSL

/// A public key that checks JWS signatures: RSA (RS256, at least 2048 bits) or EC P-256 (ES256).
///
/// `@unchecked Sendable`: the wrapped `EVP_PKEY` is never modified after init, and OpenSSL 3 allows one
/// key to be used for verification from several threads at once.
final class VerificationKey: @unchecked Sendable {
    /// The key's family, which decides the one algorithm it may verify.
    enum Kind: Sendable {
        case rsa
        case ecP256

        /// The only algorithm a key of this kind is used with, so no key serves two algorithms.
        var algorithm: JWTAlgorithm { self == .rsa ? .rs256 : .es256 }
    }

    /// A key that could not be used, with the reason (never key material).
    struct LoadError: Error {
        let message: String
    }

    let kind: Kind
    /// The JWKS `kid`; nil for PEM files and JWKS entries without one.
    let keyID: String?
    private let key: OpaquePointer

    /// Loads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    convenience init(pem: [UInt8]) throws(LoadError) {
        let key = pem.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else {
            ERR_clear_error()
            throw LoadError(message: "not a PEM public key (expected -----BEGIN PUBLIC KEY-----)")
        }
        try self.init(taking: key, keyID: nil)
    }

    /// Loads a DER SubjectPublicKeyInfo.
    convenience init(der: [UInt8], keyID: String?) throws(LoadError) {
        let key = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else {
            ERR_clear_error()
            throw LoadError(message: "not a valid public key")
        }
        try self.init(taking: key, keyID: keyID)
    }

    /// Takes ownership of `key`, freeing it if it is of a kind wsgate does not verify with.
    private init(taking key: OpaquePointer, keyID: String?) throws(LoadError) {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            let bits = EVP_PKEY_get_bits(key)
            guard bits >= 2048 else {
                EVP_PKEY_free(key)
                throw LoadError(message: "RSA key of \(bits) bits; RFC 7518 requires at least 2048")
            }
            kind = .rsa
        case EVP_PKEY_EC:
            let curve = Self.groupName(key)
            guard curve == "prime256v1" else {
                EVP_PKEY_free(key)
                throw LoadError(message: "EC key on curve \(curve); only P-256 (ES256) is supported")
            }
            kind = .ecP256
        default:
            EVP_PKEY_free(key)
            throw LoadError(message: "unsupported key type; use RSA (RS256) or EC P-256 (ES256)")
        }
        self.key = key
        self.keyID = keyID
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// True when `signature` is a valid `kind.algorithm` signature of `message`. ES256 signatures arrive
    /// as JWS's raw 64-byte r‖s and are converted to the DER form OpenSSL checks.
    func verify(message: some Collection<UInt8>, signature: [UInt8]) -> Bool {
        let encoded: [UInt8]
        switch kind {
        case .rsa: encoded = signature
        case .ecP256:
            guard let der = Self.derECDSASignature(raw: signature) else { return false }
            encoded = der
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let input = Array(message)
        let valid = EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1
            && input.withUnsafeBytes { data in
                encoded.withUnsafeBytes { sig in
                    EVP_DigestVerify(
                        context, sig.bindMemory(to: UInt8.self).baseAddress, sig.count,
                        data.bindMemory(to: UInt8.self).baseAddress, data.count) == 1
                }
            }
        // A failed check leaves errors on this thread's queue, where the loop's TLS code would find them.
        if !valid { ERR_clear_error() }
        return valid
    }

    /// `ECDSA-Sig-Value` DER for a raw P-256 signature (32-byte r then 32-byte s), nil for other lengths.
    private static func derECDSASignature(raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer in
            (BN_bin2bn(buffer.baseAddress, 32, nil), BN_bin2bn(buffer.baseAddress! + 32, 32, nil))
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }

    private static func groupName(_ key: OpaquePointer) -> String {
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
            ERR_clear_error()
            return "unknown"
        }
        return String(decoding: name[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
