import Glibc
import WSIO
import WSTLS

/// One side of a proxied connection: its socket, optional TLS session and close state.
final class Endpoint {
    let role: Role
    var fd: Int32 = -1
    var tls: TLSSession?
    /// The epoll interest currently registered, so it changes only when it must.
    var interest: UInt32 = 0
    var registered = false
    /// A close frame toward this side is in its output stream (forwarded or the gateway's own).
    var closeSent = false
    /// A close frame of the gateway's own that waits for the frame in flight toward this side to end.
    var pendingClose: (code: UInt16, reason: String)?
    /// This side's close frame has been read.
    var closeReceived = false
    var eof = false
    /// Our side of the socket is shut for writing (an offender is being read to its end).
    var writeShut = false
    var failed = false
    /// The socket is closed (or was never opened).
    var done = false
    /// OpenSSL needs the socket writable to go on reading (rare: TLS 1.3 key updates).
    var readWantsWrite = false

    enum Role: String { case client, upstream }

    init(role: Role) { self.role = role }

    /// Back to a fresh, unopened side (the upstream side, before the next member is tried).
    func reset() {
        precondition(done || fd < 0, "reset of an open endpoint")
        fd = -1
        tls = nil
        interest = 0
        registered = false
        closeSent = false
        pendingClose = nil
        closeReceived = false
        eof = false
        writeShut = false
        failed = false
        done = false
        readWantsWrite = false
    }

    @inline(__always)
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> IOResult {
        guard let tls else { return Socket.read(fd, into: buffer, count: count) }
        let result = tls.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: count))
        if case .wantWrite = result { readWantsWrite = true }
        return result.readOutcome
    }

    /// `closingNext`: the socket is closed as soon as this is written (see `Socket.write`); over TLS the
    /// close_notify alert still follows, so it changes nothing there.
    @inline(__always)
    func write(from buffer: UnsafeRawPointer, count: Int, closingNext: Bool = false) -> IOResult {
        guard let tls else { return Socket.write(fd, from: buffer, count: count, closingNext: closingNext) }
        return tls.write(UnsafeRawBufferPointer(start: buffer, count: count)).writeOutcome
    }

    /// Decrypted bytes OpenSSL holds that epoll cannot signal.
    var hasBufferedInput: Bool { tls?.hasBufferedPlaintext ?? false }
}
