import COpenSSL

/// Client TLS configuration for connections to upstream servers.
///
/// `@unchecked Sendable`: the `SSL_CTX` is immutable after `init` (OpenSSL allows concurrent `SSL_new` on it)
/// and the session cache is locked.
public final class TLSClientContext: @unchecked Sendable {
    /// Whether connections fail when the server's chain or name does not verify.
    public let verifyPeer: Bool
    let ctx: OpaquePointer
    let sessionCache = ClientSessionCache()

    /// Trusts `caFile` (PEM) or, when nil, the system's default CA paths; offers ALPN `http/1.1`.
    public convenience init(caFile: String?, verifyPeer: Bool = true) throws(TLSError) {
        try self.init(caFile: caFile, verifyPeer: verifyPeer, adjust: { _ in })
    }

    /// Like the public initializer, then lets `adjust` change the raw `SSL_CTX` (tests cap versions with it).
    init(caFile: String?, verifyPeer: Bool, adjust: (OpaquePointer) -> Void) throws(TLSError) {
        let operation = "creating TLS client context"
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw TLSError.capturing(operation) }
        do throws(TLSError) {
            try ContextSettings.applyCommon(to: ctx, operation: operation)
            if let caFile {
                guard SSL_CTX_load_verify_file(ctx, caFile) == 1 else {
                    throw TLSError.capturing("loading CA certificates", path: caFile)
                }
            } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
                throw TLSError.capturing("loading the system CA certificates")
            }
            // Without verification the chain is still checked, so `peerVerified` can report the truth.
            SSL_CTX_set_verify(ctx, verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
            let alpn = ContextSettings.alpnHTTP11
            guard SSL_CTX_set_alpn_protos(ctx, alpn, UInt32(alpn.count)) == 0 else {
                throw TLSError.capturing(operation, reason: "cannot set ALPN protocols")
            }
            // OpenSSL's internal client cache is never consulted automatically; keep sessions per server name.
            _ = wsg_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE))
            SSL_CTX_sess_set_new_cb(ctx, Self.newSessionCallback)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        adjust(ctx)
        self.ctx = ctx
        self.verifyPeer = verifyPeer
    }

    deinit {
        SSL_CTX_free(ctx)
    }

    /// Receives each resumable session (TLS 1.3 tickets arrive after the handshake, during reads).
    private static let newSessionCallback: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = {
        ssl, session in
        guard let ssl, let session, let owner = SSL_get_ex_data(ssl, TLSSession.exDataIndex) else { return 0 }
        return Unmanaged<TLSSession>.fromOpaque(owner).takeUnretainedValue().keepClientSession(session) ? 1 : 0
    }
}
