import Glibc

/// A failed system call, with the call's name, the errno and what it was acting on.
public struct IOError: Error, Sendable, CustomStringConvertible {
    public let call: StaticString
    public let errno: Int32
    public let context: String

    public init(_ call: StaticString, errno: Int32, context: String = "") {
        self.call = call
        self.errno = errno
        self.context = context
    }

    public var description: String {
        let text = String(cString: strerror(errno))
        return context.isEmpty ? "\(call): \(text)" : "\(call) \(context): \(text)"
    }
}
