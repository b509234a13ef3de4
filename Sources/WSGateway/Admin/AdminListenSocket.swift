import Glibc
import WSIO

/// The admin listener's socket. Unlike the gateway's listeners it has no SO_REUSEPORT: one loop
/// serves it, and a second gateway on the same host must fail to bind rather than share the port.
enum AdminListenSocket {
    static func open(_ address: SocketAddress) throws(IOError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError("socket", errno: errno, context: address.description) }
        Socket.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if address.family == AF_INET6 { Socket.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        let bound = withUnsafeBytes(of: address.storage) { raw in
            bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
        }
        guard bound == 0 else {
            let error = errno
            close(fd)
            throw IOError("bind", errno: error, context: address.description)
        }
        guard listen(fd, 64) == 0 else {
            let error = errno
            close(fd)
            throw IOError("listen", errno: error, context: address.description)
        }
        return fd
    }
}
