import COpenSSL

/// A self-signed certificate for local development, so `wsgate` can serve wss:// with no configuration.
public enum DevCertificate {
    /// File name of the certificate inside the directory.
    public static let certificateFileName = "dev-cert.pem"
    /// File name of the private key inside the directory (mode 0600).
    public static let privateKeyFileName = "dev-key.pem"
    /// The subject common name, which says what the certificate is to anyone inspecting it.
    public static let commonName = "wsgate development certificate - not for production"

    private static let validitySeconds = 365 * 24 * 3600
    private static let subjectAltNames = "DNS:localhost,IP:127.0.0.1,IP:::1"

    /// Returns the certificate in `directory`, creating it (and the directory) when missing, unreadable or expiring.
    public static func ensure(directory: String) throws(TLSError) -> TLSCertificateConfig {
        let config = TLSCertificateConfig(
            certificateChainPath: directory + "/" + certificateFileName,
            privateKeyPath: directory + "/" + privateKeyFileName)
        if FileIO.exists(config.privateKeyPath), let valid = isStillValid(config.certificateChainPath), valid {
            return config
        }
        try FileIO.makeDirectories(directory)
        let key = try generateKey()
        defer { EVP_PKEY_free(key) }
        let certificate = try makeCertificate(for: key)
        defer { X509_free(certificate) }
        try FileIO.writeAtomically(
            try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) },
            to: config.privateKeyPath, mode: 0o600)
        try FileIO.writeAtomically(
            try pem { PEM_write_bio_X509($0, certificate) },
            to: config.certificateChainPath, mode: 0o644)
        return config
    }

    /// Nil when there is no readable certificate; false when it expires within a day.
    private static func isStillValid(_ path: String) -> Bool? {
        guard FileIO.exists(path), let bio = BIO_new_file(path, "r") else { return nil }
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else {
            ERR_clear_error()
            return nil
        }
        defer { X509_free(certificate) }
        var oneDayAhead = time(nil) + 24 * 3600
        return X509_cmp_time(X509_get0_notAfter(certificate), &oneDayAhead) > 0
    }

    /// A fresh ECDSA P-256 key (`EVP_PKEY *`).
    private static func generateKey() throws(TLSError) -> OpaquePointer {
        let operation = "generating development key"
        guard let keyContext = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw TLSError.capturing(operation)
        }
        defer { EVP_PKEY_CTX_free(keyContext) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(keyContext) == 1, EVP_PKEY_CTX_set_group_name(keyContext, "P-256") == 1,
            EVP_PKEY_generate(keyContext, &key) == 1, let key
        else { throw TLSError.capturing(operation) }
        return key
    }

    /// A self-signed server certificate (`X509 *`) for localhost and the loopback addresses.
    private static func makeCertificate(for key: OpaquePointer) throws(TLSError) -> OpaquePointer {
        let operation = "creating development certificate"
        guard let certificate = X509_new() else { throw TLSError.capturing(operation) }
        do throws(TLSError) {
            guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1, setRandomSerial(certificate),
                X509_gmtime_adj(X509_getm_notBefore(certificate), 0) != nil,
                X509_gmtime_adj(X509_getm_notAfter(certificate), validitySeconds) != nil,
                X509_set_pubkey(certificate, key) == 1,
                let name = X509_get_subject_name(certificate),
                X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
                X509_set_issuer_name(certificate, name) == 1
            else { throw TLSError.capturing(operation) }
            let extensions = [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth"),
                (NID_subject_key_identifier, "hash"),
                (NID_subject_alt_name, subjectAltNames),
            ]
            var extensionContext = X509V3_CTX()
            X509V3_set_ctx(&extensionContext, certificate, certificate, nil, nil, 0)
            for (nid, value) in extensions {
                guard let ext = X509V3_EXT_conf_nid(nil, &extensionContext, nid, value) else {
                    throw TLSError.capturing(operation, reason: "extension \(value)")
                }
                defer { X509_EXTENSION_free(ext) }
                guard X509_add_ext(certificate, ext, -1) == 1 else { throw TLSError.capturing(operation) }
            }
            guard X509_sign(certificate, key, EVP_sha256()) > 0 else {
                throw TLSError.capturing(operation, reason: "signing")
            }
        } catch {
            X509_free(certificate)
            throw error
        }
        return certificate
    }

    /// A positive random 127-bit serial number, as RFC 5280 recommends for unpredictability.
    private static func setRandomSerial(_ certificate: OpaquePointer) -> Bool {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { return false }
        bytes[0] &= 0x7F
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { return false }
        defer { BN_free(number) }
        return BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil
    }

    /// The PEM text `write` puts into a memory BIO.
    private static func pem(_ write: (OpaquePointer) -> Int32) throws(TLSError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw TLSError.capturing("encoding PEM") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw TLSError.capturing("encoding PEM") }
        var data: UnsafeMutablePointer<CChar>?
        let length = wsg_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { throw TLSError.capturing("encoding PEM") }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }
}
