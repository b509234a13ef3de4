import Glibc

/// sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET, when systemd set it.
enum SystemdNotifier {
    static func notify(_ state: String) {
        guard let socketPath = getenv("NOTIFY_SOCKET") else { return }
        var path = Array(String(cString: socketPath).utf8)
        guard !path.isEmpty, path.count < 108 else { return }
        // An abstract socket is written with a leading '@'.
        if path[0] == UInt8(ascii: "@") { path[0] = 0 }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        var message = Array(state.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeMutableBytes { bytes in
                    sendto(fd, bytes.baseAddress, bytes.count, 0, sa, length)
                }
            }
        }
    }
}
