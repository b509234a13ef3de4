import Glibc

/// A connected pair of non-blocking TCP sockets over 127.0.0.1, closed on deinit.
final class LoopbackPair {
    private(set) var client: Int32
    let server: Int32

    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    /// Socket buffer size when the test wants writes to block early (the kernel doubles it).
    static let smallBuffer: Int32 = 16 * 1024

    private static let ignoreSIGPIPE: Void = {
        // OpenSSL writes with write(2); a peer that closed must give EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }()

    init(smallBuffers: Bool = false) throws {
        Self.ignoreSIGPIPE
        let listener = try Self.check(socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), "socket")
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = try Self.check(bind(listener, raw, length), "bind")
                _ = try Self.check(listen(listener, 1), "listen")
                _ = try Self.check(getsockname(listener, raw, &length), "getsockname")
            }
        }
        let client = try Self.check(socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0), "socket")
        if smallBuffers {
            for option in [SO_SNDBUF, SO_RCVBUF] {
                var size = Self.smallBuffer
                setsockopt(client, SOL_SOCKET, option, &size, socklen_t(MemoryLayout<Int32>.size))
                setsockopt(listener, SOL_SOCKET, option, &size, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = try Self.check(connect(client, raw, length), "connect")
            }
        }
        let server = try Self.check(accept(listener, nil, nil), "accept")
        for fd in [client, server] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        self.client = client
        self.server = server
    }

    /// Closes the client socket abruptly (no close_notify).
    func closeClient() {
        close(client)
        client = -1
    }

    deinit {
        if client >= 0 { close(client) }
        close(server)
    }

    private static func check(_ result: Int32, _ call: String) throws -> Int32 {
        guard result >= 0 else { throw SocketError(description: "\(call): \(String(cString: strerror(errno)))") }
        return result
    }
}
