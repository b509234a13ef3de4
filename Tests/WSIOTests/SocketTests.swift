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

    /// `read` and `write` enter the kernel without glibc, so every outcome comes from the raw result
    /// (a count, or -errno): bytes, would-block, EOF and a failure with its errno.
    @Test func readAndWriteReportEveryOutcome() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        defer { close(fds[0]) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let sent: [UInt8] = [1, 2, 3]
        #expect(sent.withUnsafeBytes { Socket.write(fds[1], from: $0.baseAddress!, count: 3) } == .bytes(3))
        #expect(buffer.withUnsafeMutableBytes { Socket.read(fds[0], into: $0.baseAddress!, count: 16) } == .bytes(3))
        #expect(Array(buffer.prefix(3)) == sent)
        #expect(buffer.withUnsafeMutableBytes { Socket.read(fds[0], into: $0.baseAddress!, count: 16) } == .wouldBlock)
        close(fds[1])
        #expect(buffer.withUnsafeMutableBytes { Socket.read(fds[0], into: $0.baseAddress!, count: 16) } == .eof)
        // The peer is gone: EPIPE, and no SIGPIPE (which would end the test process).
        #expect(sent.withUnsafeBytes { Socket.write(fds[0], from: $0.baseAddress!, count: 3) } == .failed(EPIPE))
        #expect(buffer.withUnsafeMutableBytes { Socket.read(-1, into: $0.baseAddress!, count: 16) } == .failed(EBADF))
    }
}
