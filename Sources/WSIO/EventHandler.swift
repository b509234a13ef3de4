/// Something registered with an event loop for readiness on one or more file descriptors.
public protocol EventHandler: AnyObject {
    /// Called on the loop's thread with the epoll event bits for `fd`.
    func handleEvent(fd: Int32, events: UInt32)
}

/// epoll event bits as plain integers (the imported ones are structs).
public enum Interest {
    public static let read = UInt32(0x001)      // EPOLLIN
    public static let write = UInt32(0x004)     // EPOLLOUT
    public static let error = UInt32(0x008)     // EPOLLERR
    public static let hangup = UInt32(0x010)    // EPOLLHUP
    public static let readHangup = UInt32(0x2000)  // EPOLLRDHUP
}
