/// The outcome of one handshake step on a non-blocking socket.
public enum TLSHandshakeResult: Sendable {
    /// The handshake is complete; plaintext may already be buffered (see `TLSSession.hasBufferedPlaintext`).
    case done
    /// Call `handshake()` again once the socket is readable.
    case wantRead
    /// Call `handshake()` again once the socket is writable.
    case wantWrite
    /// The handshake failed; close the connection.
    case failed(TLSError)
}

/// The outcome of one `TLSSession.read` or `TLSSession.write`.
public enum TLSIOResult: Sendable {
    /// This many plaintext bytes were read or accepted for sending (a write may be partial).
    case bytes(Int)
    /// Retry once the socket is readable (a write may need this too, e.g. during a TLS 1.3 key update).
    case wantRead
    /// Retry once the socket is writable; retry a write with the same bytes (the buffer may move).
    case wantWrite
    /// The peer sent close_notify or closed the connection.
    case closed
    /// A protocol or system error; close the connection without `shutdown()`.
    case failed(TLSError)
}
