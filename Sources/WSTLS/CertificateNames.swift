import COpenSSL

/// Names read from an X.509 certificate (`X509 *`).
enum CertificateNames {
    /// The DNS entries of the subject alternative name extension, as written in the certificate.
    static func dnsNames(of certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<OPENSSL_sk_num(names) {
            guard let entry = OPENSSL_sk_value(names, index)?.assumingMemoryBound(to: GENERAL_NAME.self),
                entry.pointee.type == GEN_DNS, let value = entry.pointee.d.dNSName
            else { continue }
            result.append(text(of: value))
        }
        return result
    }

    /// The subject's common name, if present.
    static func commonName(of certificate: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(certificate) else { return nil }
        let position = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard position >= 0, let entry = X509_NAME_get_entry(subject, position),
            let data = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { wsg_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// The subject in OpenSSL's one-line form, e.g. `/CN=alt.test`.
    static func subject(of certificate: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(certificate), let line = X509_NAME_oneline(subject, nil, 0) else {
            return nil
        }
        defer { wsg_OPENSSL_free(line) }
        return String(cString: line)
    }

    /// The names a server certificate serves: its DNS names, plus its common name when that looks like a host.
    static func serverNames(of certificate: OpaquePointer) -> [String] {
        var names = dnsNames(of: certificate)
        if let commonName = commonName(of: certificate), isHostLike(commonName),
            !names.contains(where: { ServerNameMatcher.normalized($0) == ServerNameMatcher.normalized(commonName) })
        {
            names.append(commonName)
        }
        return names
    }

    /// Whether `name` consists only of host name characters (letters, digits, '-', '.', '*').
    private static func isHostLike(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "*"):
                    true
                default: false
                }
            }
    }

    private static func text(of string: UnsafePointer<ASN1_STRING>) -> String {
        let length = Int(ASN1_STRING_length(string))
        guard length > 0, let bytes = ASN1_STRING_get0_data(string) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}
