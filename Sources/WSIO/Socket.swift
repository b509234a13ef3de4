import CEpoll
import Glibc

/// The outcome of a non-blocking read or write.
public enum IOResult: Equatable {
    case bytes(Int)
    case wouldBlock
    case eof
    case failed(Int32)
}

/// Thin wrappers over the socket system calls; every socket is non-blocking and close-on-exec.
public enum Socket {
    /// Opens a listening socket with SO_REUSEPORT so that every event loop can own one for the same address.
    /// With `deferAcceptSeconds` > 0 (TCP_DEFER_ACCEPT), a connection is handed over only once its first
    /// bytes arrived, or after about that long: for protocols where the client speaks first, it can be read
    /// at once, and connections that never send anything cost no descriptor while they wait.
    public static func listen(on address: SocketAddress, backlog: Int32 = 4096,
                              deferAcceptSeconds: Int32 = 0) throws(IOError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError("socket", errno: errno, context: address.description) }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1)
        if address.family == AF_INET6 { setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        // Accepted sockets inherit TCP_NODELAY from the listener: one system call per connection saved.
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        if deferAcceptSeconds > 0 { setOption(fd, Int32(IPPROTO_TCP), TCP_DEFER_ACCEPT, deferAcceptSeconds) }
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw IOError("bind", errno: e, context: address.description)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw IOError("listen", errno: e, context: address.description)
        }
        return fd
    }

    /// Accepts one connection; nil when none is pending.
    public static func accept(_ listener: Int32, peer: inout SocketAddress) throws(IOError) -> Int32? {
        while true {
            peer.length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutableBytes(of: &peer.storage) { raw in
                accept4(listener, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &peer.length,
                        Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
            }
            if fd >= 0 { return fd }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN: return nil
            default: throw IOError("accept4", errno: errno)
            }
        }
    }

    /// Starts a non-blocking connect; completion is signalled by writability, then `pendingError`.
    public static func connect(to address: SocketAddress, source: SocketAddress? = nil) throws(IOError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError("socket", errno: errno, context: address.description) }
        if let source {
            // Lets many source addresses in 127/8 share ports, so more than 64k client sockets fit.
            setOption(fd, Int32(IPPROTO_IP), IP_BIND_ADDRESS_NO_PORT, 1)
            let bound = source.withSockaddr { bind(fd, $0, $1) }
            if bound != 0 {
                let e = errno
                close(fd)
                throw IOError("bind", errno: e, context: source.description)
            }
        }
        let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            let e = errno
            close(fd)
            throw IOError("connect", errno: e, context: address.description)
        }
        return fd
    }

    /// The error of a finished non-blocking connect (0 on success).
    public static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &size) == 0 ? value : errno
    }

    public static func setNoDelay(_ fd: Int32) {
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    @discardableResult
    public static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) -> Bool {
        var v = value
        return setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> IOResult {
        while true {
            // recv, not read: the socket call skips the VFS layer's checks.
            let n = wsg_recv(fd, buffer, count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .eof }
            switch Int32(truncatingIfNeeded: -n) {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case let error: return .failed(error)
            }
        }
    }

    /// `closingNext`: the caller closes the socket once this is written, so a last partial segment
    /// is held back for the FIN to travel in it (one packet less, and one wake-up less for the peer).
    @inline(__always)
    public static func write(_ fd: Int32, from buffer: UnsafeRawPointer, count: Int, closingNext: Bool = false) -> IOResult {
        while true {
            // MSG_NOSIGNAL: a peer that vanished must give EPIPE, never SIGPIPE.
            let n = wsg_send_nosignal(fd, buffer, count, closingNext ? 1 : 0)
            if n >= 0 { return .bytes(n) }
            switch Int32(truncatingIfNeeded: -n) {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case let error: return .failed(error)
            }
        }
    }

    /// Closes after discarding unsent data with a RST, for peers that broke the protocol.
    public static func abort(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }

    public static func localAddress(_ fd: Int32) -> SocketAddress {
        var address = SocketAddress()
        address.length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutableBytes(of: &address.storage) {
            getsockname(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &address.length)
        }
        return address
    }
}
