import Glibc
import Testing

extension Integration {
    /// The gateway's last bytes toward a client: the close frame that completes the closing handshake
    /// and the FIN behind it travel in one segment.
    @Suite struct CloseSegments {
        @Test("after a client's close, the upstream's close reply and the gateway's FIN reach the client in one segment")
        func closeReplyCarriesTheFIN() throws {
            let ended = Mailbox<Bool>()
            let upstream = try ScriptedUpstream { peer in
                try peer.acceptUpgrade()
                let close = try peer.connection.readFrame()
                // Longer than the gateway's longest delayed ACK (200 ms): the ACK of the client's close goes out
                // alone, so the segments the client counts below are that ACK and the close reply with its FIN.
                usleep(400_000)
                try peer.connection.send(opcode: Opcode.close, close.payload)
                Glibc.shutdown(peer.socket.fd, Int32(SHUT_WR))
                ended.put(try peer.socket.waitForEnd(timeout: 4))
            }
            let gateway = try TestGateway(routes: [.init(name: "app", pathPrefix: "/app", upstreamPort: upstream.port)])
            defer { gateway.stop() }
            let client = try WSTestConnection.open(port: gateway.port, path: "/app")
            let before = try TCPSegmentCounts(of: client.socket.fd)
            try client.sendClose(code: 4002, reason: "done")
            let reply = try client.readFrame(timeout: 5)
            #expect(reply.closeCode == 4002)
            #expect(try client.socket.waitForEnd(timeout: 5))
            let after = try TCPSegmentCounts(of: client.socket.fd)
            #expect(after.withData - before.withData == 1, "the close reply came in one segment")
            // Without data: the ACK of the client's close; a FIN of its own would make it two.
            #expect(after.withoutData - before.withoutData == 1, "the FIN came with the close reply")
            #expect(ended.take(timeout: 5) == true)
            #expect(upstream.failures.drain().isEmpty)
        }
    }
}

/// Segments a socket has received, from the kernel's `tcp_info` (Linux 4.6 or later).
private struct TCPSegmentCounts {
    let withData: UInt32
    let withoutData: UInt32

    init(of fd: Int32) throws {
        // Glibc's `struct tcp_info` stops before these counters; they sit at fixed offsets of the kernel's.
        let segmentsInOffset = 140, dataSegmentsInOffset = 152
        var info = [UInt8](repeating: 0, count: 232)
        var length = socklen_t(info.count)
        let status = getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &length)
        guard status == 0, Int(length) >= dataSegmentsInOffset + 4 else {
            throw TestSocketError(description: "getsockopt(TCP_INFO) failed: errno \(errno), \(length) bytes")
        }
        let all = info.withUnsafeBytes { $0.load(fromByteOffset: segmentsInOffset, as: UInt32.self) }
        withData = info.withUnsafeBytes { $0.load(fromByteOffset: dataSegmentsInOffset, as: UInt32.self) }
        withoutData = all - withData
    }
}
