/// Fixed-size buffers for one event loop, so connections hold memory only while data is in flight.
///
/// Not thread-safe: each loop owns its pools. Free buffers form an intrusive list (each one's first
/// word points to the next), so taking and returning one is two pointer moves with no array traffic.
/// At most `maxFree` are kept for reuse; the rest go back to the allocator, so a burst does not pin its
/// peak memory forever.
public final class BufferPool {
    public let bufferSize: Int
    @usableFromInline let maxFree: Int
    @usableFromInline var freeHead: UnsafeMutableRawPointer?
    @usableFromInline var freeCount = 0
    @usableFromInline var inUseCount = 0
    /// Buffers handed out and not yet returned.
    public var inUse: Int { inUseCount }

    public init(bufferSize: Int, maxFree: Int = 256) {
        precondition(bufferSize >= MemoryLayout<UnsafeMutableRawPointer>.size)
        self.bufferSize = bufferSize
        self.maxFree = maxFree
    }

    @inlinable @inline(__always)
    public func acquire() -> UnsafeMutableRawPointer {
        inUseCount &+= 1
        guard let buffer = freeHead else {
            return UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        }
        freeHead = buffer.load(as: UnsafeMutableRawPointer?.self)
        freeCount &-= 1
        return buffer
    }

    @inlinable @inline(__always)
    public func release(_ buffer: UnsafeMutableRawPointer) {
        inUseCount &-= 1
        guard freeCount < maxFree else {
            buffer.deallocate()
            return
        }
        buffer.storeBytes(of: freeHead, as: UnsafeMutableRawPointer?.self)
        freeHead = buffer
        freeCount &+= 1
    }

    deinit {
        while let buffer = freeHead {
            freeHead = buffer.load(as: UnsafeMutableRawPointer?.self)
            buffer.deallocate()
        }
    }
}
