import COpenSSL
import Glibc

/// One TLS connection over a non-blocking socket the caller owns; use it from one thread only.
///
/// Drive it from a level-triggered loop: call `handshake()` until `.done`, then `read`/`write`, waiting for the
/// readiness each `want…` result names. Records OpenSSL has already taken off the socket do not make it
/// readable, so after a read (and right after the handshake) keep reading while `hasBufferedPlaintext` is true,
/// stopping at `.wantRead`. The socket is never closed here; ignore `SIGPIPE` in the process, since OpenSSL
/// writes with plain `write`.
public final class TLSSession {
    /// `SSL *`.
    @usableFromInline let ssl: OpaquePointer
    /// Set after a fatal error, after which OpenSSL forbids `SSL_shutdown`.
    @usableFromInline var hadFatalError = false
    /// Keeps the context alive: the SNI callback's argument and the session cache belong to it.
    private let context: AnyObject
    /// Where new client sessions go, and under which key (the server name); nil on the server side.
    private let clientSessionCache: ClientSessionCache?
    private let clientSessionKey: String?

    /// The `SSL` ex-data slot pointing back at the session (OpenSSL's "app data" slot).
    static let exDataIndex: Int32 = 0

    /// Accepts a TLS connection on `fd` with the server's certificates.
    public init(server: TLSServerContext, fd: Int32) throws(TLSError) {
        ssl = try Self.makeSSL(server.contexts[0], fd: fd)
        SSL_set_accept_state(ssl)
        context = server
        clientSessionCache = nil
        clientSessionKey = nil
        attachSelf()
    }

    /// Starts a TLS connection on `fd`; `serverName` (a host or IP address) is sent as SNI and verified.
    ///
    /// Without `serverName` only the chain is verified. A session saved from an earlier connection to the same
    /// name is offered for resumption.
    public init(client: TLSClientContext, fd: Int32, serverName: String?) throws(TLSError) {
        let ssl = try Self.makeSSL(client.ctx, fd: fd)
        SSL_set_connect_state(ssl)
        var sessionKey: String?
        if let serverName {
            let host = Self.unbracketed(serverName)
            do throws(TLSError) {
                try Self.setPeerName(host, on: ssl)
            } catch {
                SSL_free(ssl)
                throw error
            }
            let key = ServerNameMatcher.normalized(host)
            client.sessionCache.resume(ssl, for: key)
            sessionKey = key
        }
        self.ssl = ssl
        context = client
        clientSessionCache = client.sessionCache
        clientSessionKey = sessionKey
        attachSelf()
    }

    deinit {
        SSL_free(ssl)
    }

    /// Advances the handshake as far as the socket allows.
    public func handshake() -> TLSHandshakeResult {
        ERR_clear_error()
        errno = 0
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        let systemError = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default:
            hadFatalError = true
            return .failed(failure("handshake", code: code, systemError: systemError))
        }
    }

    /// Reads decrypted bytes into `buffer`.
    @inlinable
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        errno = 0
        let result = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        return ioResult(afterFailed: result, operation: "read")
    }

    /// Encrypts and sends bytes from `buffer`; may accept fewer than offered.
    @inlinable
    public func write(_ buffer: UnsafeRawBufferPointer) -> TLSIOResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        errno = 0
        let result = SSL_write(ssl, base, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        return ioResult(afterFailed: result, operation: "write")
    }

    /// Whether OpenSSL holds received bytes the socket's readiness no longer shows.
    ///
    /// This may stay true while only part of a record is buffered; `read` then returns `.wantRead`, and the
    /// rest of the record makes the socket readable again, so stop reading at `.wantRead`.
    @inlinable
    public var hasBufferedPlaintext: Bool {
        SSL_pending(ssl) > 0 || SSL_has_pending(ssl) == 1
    }

    /// Sends close_notify if the connection is healthy; never blocks, never waits for the peer's reply.
    public func shutdown() {
        guard !hadFatalError, SSL_is_init_finished(ssl) == 1 else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        // A close_notify that could not be sent is not worth reporting; don't leave its errors queued.
        ERR_clear_error()
    }

    /// Classifies a read or write that returned `result <= 0`.
    @usableFromInline
    func ioResult(afterFailed result: Int32, operation: StaticString) -> TLSIOResult {
        let systemError = errno
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL where systemError == 0 && ERR_peek_error() == 0:
            hadFatalError = true
            return .closed
        default:
            hadFatalError = true
            return .failed(failure("\(operation)", code: code, systemError: systemError))
        }
    }

    /// Stores a resumable client session under this connection's server name; true if it took the reference.
    func keepClientSession(_ session: OpaquePointer) -> Bool {
        guard let clientSessionCache, let clientSessionKey, SSL_SESSION_is_resumable(session) == 1 else {
            return false
        }
        clientSessionCache.store(session, for: clientSessionKey)
        return true
    }

    private func attachSelf() {
        SSL_set_ex_data(ssl, Self.exDataIndex, Unmanaged.passUnretained(self).toOpaque())
    }

    private func failure(_ operation: String, code: Int32, systemError: Int32) -> TLSError {
        var reason: String
        switch code {
        case SSL_ERROR_SYSCALL:
            reason = systemError == 0 ? "connection closed by peer" : String(cString: strerror(systemError))
        case SSL_ERROR_ZERO_RETURN:
            reason = "connection closed by peer"
        case SSL_ERROR_SSL:
            reason = "protocol error"
        default:
            reason = "unexpected SSL_get_error result \(code)"
        }
        let verifyResult = SSL_get_verify_result(ssl)
        if verifyResult != X509_V_OK {
            reason += "; certificate verification: " + String(cString: X509_verify_cert_error_string(verifyResult))
        }
        return TLSError.capturing(operation, reason: reason)
    }

    /// Creates an `SSL` on `fd`; `SSL_set_fd` uses a socket BIO that never closes the descriptor.
    private static func makeSSL(_ ctx: OpaquePointer, fd: Int32) throws(TLSError) -> OpaquePointer {
        guard let ssl = SSL_new(ctx) else { throw TLSError.capturing("creating TLS connection") }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            throw TLSError.capturing("attaching TLS to socket", reason: "descriptor \(fd)")
        }
        return ssl
    }

    /// Sets SNI and the name to verify: IP addresses against IP SANs (no SNI, RFC 6066), hosts against DNS names.
    private static func setPeerName(_ host: String, on ssl: OpaquePointer) throws(TLSError) {
        let operation = "setting server name"
        if isIPAddress(host) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw TLSError.capturing(operation, reason: "invalid IP address \(host)")
            }
            return
        }
        guard wsg_SSL_set_tlsext_host_name(ssl, host) == 1 else {
            throw TLSError.capturing(operation, reason: "invalid host name \(host)")
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(ssl, host) == 1 else {
            throw TLSError.capturing(operation, reason: "invalid host name \(host)")
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { address in
            inet_pton(AF_INET, host, address.baseAddress) == 1 || inet_pton(AF_INET6, host, address.baseAddress) == 1
        }
    }

    /// `[::1]` (URL form) to `::1`.
    private static func unbracketed(_ host: String) -> String {
        guard host.hasPrefix("["), host.hasSuffix("]") else { return host }
        return String(host.dropFirst().dropLast())
    }
}
