import COpenSSL

/// Settings shared by wsgate's server and client contexts.
enum ContextSettings {
    /// `\x08http/1.1`: the one ALPN protocol wsgate speaks, in wire format.
    static let alpnHTTP11: [UInt8] = [8] + Array("http/1.1".utf8)

    /// Protocol range, options, modes and groups every wsgate `SSL_CTX` gets.
    static func applyCommon(to ctx: OpaquePointer, operation: String) throws(TLSError) {
        guard wsg_SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1,
            wsg_SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1
        else { throw TLSError.capturing(operation, reason: "cannot restrict protocol versions to TLS 1.2-1.3") }
        // Renegotiation is a DoS and complexity risk with no use here; compression enables CRIME. A peer that
        // closes without close_notify is normal for WebSocket clients (message framing detects truncation),
        // so it reads as a clean close rather than an error.
        SSL_CTX_set_options(
            ctx, wsg_SSL_OP_NO_COMPRESSION | wsg_SSL_OP_NO_RENEGOTIATION | wsg_SSL_OP_IGNORE_UNEXPECTED_EOF)
        // Release buffers of idle connections (~34 KB each); accept partial writes and retries from a moved
        // buffer so the caller's write queue can advance and compact freely.
        _ = wsg_SSL_CTX_set_mode(
            ctx,
            Int(SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        // Read whole socket buffers at once instead of header then body per record: half the read syscalls.
        // Records read ahead stay invisible to epoll; `TLSSession.hasBufferedPlaintext` exposes them.
        _ = wsg_SSL_CTX_set_read_ahead(ctx, 1)
        // Never prompt on the terminal for the passphrase of an encrypted key: fail instead.
        SSL_CTX_set_default_passwd_cb(ctx) { _, _, _, _ in 0 }
        // Key exchange groups, fastest first; all are strong.
        guard wsg_SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") == 1 else {
            throw TLSError.capturing(operation, reason: "cannot set key exchange groups")
        }
    }
}
