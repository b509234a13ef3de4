import COpenSSL

/// What was negotiated, for routing and logging (valid once the handshake is done).
extension TLSSession {
    /// The ALPN protocol both sides agreed on, e.g. `http/1.1`.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The host name the client asked for with SNI.
    public var serverName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// Whether an earlier session was resumed (abbreviated handshake).
    public var isSessionReused: Bool {
        SSL_session_reused(ssl) == 1
    }

    /// The protocol version, e.g. `TLSv1.3`.
    public var protocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    /// The cipher suite, e.g. `TLS_AES_128_GCM_SHA256`.
    public var cipher: String {
        SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "(none)"
    }

    /// Whether the peer presented a certificate whose chain and name verified.
    public var peerVerified: Bool {
        SSL_get0_peer_certificate(ssl) != nil && SSL_get_verify_result(ssl) == X509_V_OK
    }

    /// The subject of the peer's certificate in one-line form, e.g. `/CN=alt.test`.
    public var peerCertificateSubject: String? {
        SSL_get0_peer_certificate(ssl).flatMap(CertificateNames.subject(of:))
    }

    /// The DNS names of the peer's certificate.
    public var peerCertificateDNSNames: [String] {
        SSL_get0_peer_certificate(ssl).map(CertificateNames.dnsNames(of:)) ?? []
    }
}
