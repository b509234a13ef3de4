/// Something registered with an event loop for readiness on one or more file descriptors.
///
/// A class to subclass, not a protocol: the loop calls its handlers through unretained references
/// (`Unmanaged`), which Swift offers for class types only. A protocol value taken out of the loop's
/// table is retained and released around every event, about 40 instructions per relayed message.
open class EventHandler {
    public init() {}

    /// Called on the loop's thread with the epoll event bits for `fd`.
    open func handleEvent(fd: Int32, events: UInt32) {
        preconditionFailure("\(type(of: self)) is registered for events but does not handle them")
    }
}

/// epoll event bits as plain integers (the imported ones are structs).
public enum Interest {
    public static let read = UInt32(0x001)      // EPOLLIN
    public static let write = UInt32(0x004)     // EPOLLOUT
    public static let error = UInt32(0x008)     // EPOLLERR
    public static let hangup = UInt32(0x010)    // EPOLLHUP
    public static let readHangup = UInt32(0x2000)  // EPOLLRDHUP
    /// Report readiness once per change instead of while it lasts. A handler that asks for it must read
    /// until a read comes back short (or EAGAIN), or until it drops `read` from its interest; adding
    /// interest again (`EPOLL_CTL_MOD`) reports what is already pending.
    public static let edgeTriggered = UInt32(1) << 31  // EPOLLET
}
