import Glibc
import Testing
@testable import WSIO

@Suite struct SocketTests {
    /// The relay relies on this: accepted sockets get TCP_NODELAY from the listener, not a call each.
    @Test func acceptedSocketsInheritNoDelayFromTheListener() throws {
        let listener = try Socket.listen(on: #require(SocketAddress(host: "127.0.0.1", port: 0)))
        defer { close(listener) }
        let client = try Socket.connect(to: Socket.localAddress(listener))
        defer { close(client) }
        var peer = SocketAddress()
        var accepted: Int32?
        for _ in 0..<200 where accepted == nil {
            accepted = try Socket.accept(listener, peer: &peer)
            if accepted == nil { usleep(5_000) }
        }
        let fd = try #require(accepted)
        defer { close(fd) }
        var noDelay: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, &length) == 0)
        #expect(noDelay == 1)
    }
}
