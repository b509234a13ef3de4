import Glibc

/// Fixed-size buffers for one event loop, so connections hold memory only while data is in flight.
///
/// Not thread-safe: each loop owns its pools. Keeps at most `maxFree` buffers for reuse and returns the
/// rest to the allocator, so a burst does not pin its peak memory forever.
public final class BufferPool {
    public let bufferSize: Int
    private var free: [UnsafeMutableRawPointer] = []
    private let maxFree: Int
    public private(set) var inUse = 0

    public init(bufferSize: Int, maxFree: Int = 256) {
        self.bufferSize = bufferSize
        self.maxFree = maxFree
        free.reserveCapacity(maxFree)
    }

    @inline(__always)
    public func acquire() -> UnsafeMutableRawPointer {
        inUse += 1
        if let buffer = free.popLast() { return buffer }
        return UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
    }

    @inline(__always)
    public func release(_ buffer: UnsafeMutableRawPointer) {
        inUse -= 1
        if free.count < maxFree { free.append(buffer) } else { buffer.deallocate() }
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }
}
