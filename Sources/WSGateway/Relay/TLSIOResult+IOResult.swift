import Glibc
import WSIO
import WSTLS

/// TLS outcomes in the terms of a plain socket's, for code that serves both (relay, echo, bench).
extension TLSIOResult {
    /// As the outcome of a read: a clean TLS close is the end of the stream.
    @inline(__always)
    var readOutcome: IOResult {
        switch self {
        case .bytes(let n): .bytes(n)
        case .wantRead, .wantWrite: .wouldBlock
        case .closed: .eof
        case .failed: .failed(EPROTO)
        }
    }

    /// As the outcome of a write: writing after the peer's close is a broken pipe.
    @inline(__always)
    var writeOutcome: IOResult {
        switch self {
        case .bytes(let n): .bytes(n)
        case .wantRead, .wantWrite: .wouldBlock
        case .closed: .failed(EPIPE)
        case .failed: .failed(EPROTO)
        }
    }
}
