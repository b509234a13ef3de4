#if DEBUG || WSGATE_FUZZ
import FuzzSupport
import Glibc

/// Two non-blocking AF_UNIX stream pairs made once per process: the pump reads its source from one and
/// writes its destination into the other, as it would with TCP sockets.
final class SocketPairs {
    /// The harness writes the input here; the pump's source endpoint reads the other end.
    let sourceWriter: Int32
    let sourceReader: Int32
    /// The pump's destination endpoint writes here; the harness reads the output from the other end.
    let destinationWriter: Int32
    let destinationReader: Int32

    init() {
        func pair() -> (Int32, Int32) {
            var fds: [Int32] = [-1, -1]
            let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds)
            fuzzCheck(rc == 0, "socketpair failed: errno \(errno)")
            for fd in fds {
                var size: Int32 = 1 << 20
                setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            return (fds[0], fds[1])
        }
        (sourceWriter, sourceReader) = pair()
        (destinationWriter, destinationReader) = pair()
    }

    /// Writes all of `bytes` to the source (the input pieces are far smaller than the socket buffer).
    func send(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(sourceWriter, bytes.baseAddress! + offset, bytes.count - offset)
            fuzzCheck(n > 0, "writing the input failed: errno \(errno)")
            offset += n
        }
    }

    /// Everything waiting at the destination, appended to `output`.
    func receive(into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 65_536, alignment: 16) { scratch in
            while true {
                let n = Glibc.read(destinationReader, scratch.baseAddress, scratch.count)
                guard n > 0 else { return }
                output += scratch[..<n]
            }
        }
    }

    /// Drops whatever an earlier input left unread in either pair.
    func discardLeftovers() {
        var ignored: [UInt8] = []
        receive(into: &ignored)
        withUnsafeTemporaryAllocation(byteCount: 65_536, alignment: 16) { scratch in
            while Glibc.read(sourceReader, scratch.baseAddress, scratch.count) > 0 {}
        }
    }
}
#endif
