import Glibc

/// A growable byte buffer for one whole message, allocated when a message needs it and freed after it,
/// so an idle compressed connection holds none.
public final class MessageBuffer {
    /// Start of the bytes; nil while nothing is allocated.
    public private(set) var base: UnsafeMutableRawPointer?
    /// Bytes in use, from `base`.
    public var count = 0
    /// Bytes allocated.
    public private(set) var capacity = 0

    /// Creates an empty buffer (no allocation).
    public init() {}

    /// Makes room for at least `free` more bytes after `count`, growing by doubling; false if out of memory.
    public func reserve(free: Int) -> Bool {
        let needed = count + free
        guard needed > capacity else { return true }
        let newCapacity = max(needed, capacity * 2, 4096)
        guard let grown = realloc(base, newCapacity) else { return false }
        base = grown
        capacity = newCapacity
        return true
    }

    /// The free space after `count`.
    public var freeSpace: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base.map { $0 + count }, count: capacity - count)
    }

    /// The bytes in use.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Frees the memory; the buffer can be used again.
    public func release() {
        free(base)
        base = nil
        count = 0
        capacity = 0
    }

    deinit { free(base) }
}
