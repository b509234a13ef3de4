import COpenSSL

/// Server TLS configuration: one OpenSSL context per certificate, chosen per connection by SNI.
///
/// `@unchecked Sendable`: every stored property is immutable after `init`, and OpenSSL allows concurrent
/// `SSL_new` and handshakes on a shared `SSL_CTX`.
public final class TLSServerContext: @unchecked Sendable {
    /// The names each certificate serves, in configuration order (the first certificate is the default).
    public let serverNames: [[String]]
    /// TLS 1.3 session tickets each full handshake ends with.
    public let sessionTickets: Int
    /// The `SSL_CTX` for each certificate, in configuration order.
    let contexts: [OpaquePointer]
    private let matcher: ServerNameMatcher

    /// Sessions created from this context are resumable by any of its certificates.
    private static let sessionIDContext: [UInt8] = Array("wsgate".utf8)
    private static let sessionCacheSize = 20_000
    /// Mozilla "intermediate" TLS 1.2 suites (forward secret AEAD only); TLS 1.3 keeps OpenSSL's defaults.
    private static let tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// TLS 1.3 session tickets sent after a full handshake. OpenSSL sends two; a WebSocket client resumes one
    /// connection at a time, and each ticket costs a session copy, its encryption and a record of its own
    /// (one more segment) on every full handshake. Go's TLS stack sends one as well. After a resumption
    /// OpenSSL sends one whatever this says, unless it is 0 (no TLS 1.3 resumption at all).
    public static let defaultSessionTickets = 1
    /// The most tickets a listener may be configured to send after one handshake.
    public static let maxSessionTickets = 8

    /// Loads and checks every certificate; the first one serves clients without SNI or with an unknown name.
    /// Every full TLS 1.3 handshake ends with `sessionTickets` session tickets.
    public init(certificates: [TLSCertificateConfig], sessionTickets: Int = defaultSessionTickets) throws(TLSError) {
        guard !certificates.isEmpty else {
            throw TLSError(operation: "configuring TLS server", reason: "no certificate configured")
        }
        var contexts: [OpaquePointer] = []
        var names: [[String]] = []
        do throws(TLSError) {
            for certificate in certificates {
                let ctx = try Self.makeContext(sessionTickets: sessionTickets)
                contexts.append(ctx)
                names.append(try Self.load(certificate, into: ctx))
            }
        } catch {
            contexts.forEach { SSL_CTX_free($0) }
            throw error
        }
        self.contexts = contexts
        self.serverNames = names
        self.sessionTickets = sessionTickets
        self.matcher = ServerNameMatcher(namesPerCertificate: names)
        // OpenSSL only runs the servername callback of the context an SSL was created from: the default one.
        _ = wsg_SSL_CTX_set_tlsext_servername_callback(contexts[0], Self.serverNameCallback)
        _ = wsg_SSL_CTX_set_tlsext_servername_arg(contexts[0], Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        contexts.forEach { SSL_CTX_free($0) }
    }

    /// The context of the certificate claiming `serverName`, if any does.
    func context(forServerName serverName: String) -> OpaquePointer? {
        matcher.certificateIndex(for: serverName).map { contexts[$0] }
    }

    /// Switches a connection to the certificate its SNI name asks for; unknown names keep the default.
    /// The argument is the `TLSServerContext`, which every `TLSSession` keeps alive.
    private static let serverNameCallback:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32 = {
            ssl, _, argument in
            guard let ssl, let argument, let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else {
                return SSL_TLSEXT_ERR_OK
            }
            let server = Unmanaged<TLSServerContext>.fromOpaque(argument).takeUnretainedValue()
            if let ctx = server.context(forServerName: String(cString: name)), ctx != SSL_get_SSL_CTX(ssl) {
                _ = SSL_set_SSL_CTX(ssl, ctx)
            }
            return SSL_TLSEXT_ERR_OK
        }

    private static func makeContext(sessionTickets: Int) throws(TLSError) -> OpaquePointer {
        let operation = "creating TLS server context"
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw TLSError.capturing(operation) }
        do throws(TLSError) {
            try ContextSettings.applyCommon(to: ctx, operation: operation)
            guard SSL_CTX_set_cipher_list(ctx, tls12Ciphers) == 1 else {
                throw TLSError.capturing(operation, reason: "cannot set TLS 1.2 cipher list")
            }
            // Shared id context and cache: after an SNI switch OpenSSL still resumes through the default context.
            _ = wsg_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_SERVER))
            _ = wsg_SSL_CTX_sess_set_cache_size(ctx, sessionCacheSize)
            guard SSL_CTX_set_session_id_context(ctx, sessionIDContext, UInt32(sessionIDContext.count)) == 1 else {
                throw TLSError.capturing(operation, reason: "cannot set session id context")
            }
            guard (0...maxSessionTickets).contains(sessionTickets), SSL_CTX_set_num_tickets(ctx, sessionTickets) == 1 else {
                throw TLSError.capturing(
                    operation, reason: "cannot send \(sessionTickets) session tickets (0 to \(maxSessionTickets))")
            }
            SSL_CTX_set_alpn_select_cb(ctx, ALPNSelection.callback, nil)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        return ctx
    }

    /// Loads the chain and key into `ctx` and returns the names the certificate serves.
    private static func load(_ certificate: TLSCertificateConfig, into ctx: OpaquePointer) throws(TLSError) -> [String]
    {
        let chainPath = certificate.certificateChainPath
        let keyPath = certificate.privateKeyPath
        guard SSL_CTX_use_certificate_chain_file(ctx, chainPath) == 1 else {
            throw TLSError.capturing("loading certificate chain", path: chainPath)
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, keyPath, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError.capturing("loading private key", path: keyPath, reason: keyMismatchHint(chainPath))
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw TLSError.capturing(
                "checking private key", path: keyPath, reason: "does not match the certificate in \(chainPath)")
        }
        guard certificate.serverNames.isEmpty else { return certificate.serverNames }
        guard let leaf = SSL_CTX_get0_certificate(ctx) else { return [] }
        return CertificateNames.serverNames(of: leaf)
    }

    /// OpenSSL rejects a key of the certificate's type that does not match it while loading; say so plainly.
    private static func keyMismatchHint(_ chainPath: String) -> String? {
        let lastError = ERR_peek_last_error()
        guard ERR_GET_LIB(lastError) == ERR_LIB_X509, ERR_GET_REASON(lastError) == X509_R_KEY_VALUES_MISMATCH else {
            return nil
        }
        return "does not match the certificate in \(chainPath)"
    }
}
