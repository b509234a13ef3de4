import COpenSSL

/// Unpredictable mask keys for one event loop, drawn 4 bytes at a time from a 4 KiB `RAND_bytes` batch.
///
/// Not `Sendable`: each loop owns its own source. The batch buffer is allocated once in `init`, so
/// `next()` never allocates.
public final class MaskKeySource {
    @usableFromInline static var batchBytes: Int { 4096 }

    @usableFromInline let batch: UnsafeMutableRawPointer
    @usableFromInline var nextOffset: Int

    /// Creates a source and draws its first batch of random bytes.
    public init() {
        batch = .allocate(byteCount: Self.batchBytes, alignment: MemoryLayout<UInt32>.alignment)
        nextOffset = 0
        refill()
    }

    deinit {
        batch.deallocate()
    }

    /// The next mask key.
    @inlinable
    public func next() -> UInt32 {
        if nextOffset == Self.batchBytes {
            refill()
        }
        let key = batch.load(fromByteOffset: nextOffset, as: UInt32.self)
        nextOffset &+= 4
        return key
    }

    @usableFromInline
    func refill() {
        let bytes = batch.bindMemory(to: UInt8.self, capacity: Self.batchBytes)
        // RFC 6455 §5.3 requires unpredictable keys; without a working CSPRNG the proxy must not mask.
        precondition(RAND_bytes(bytes, Int32(Self.batchBytes)) == 1, "RAND_bytes failed; no unpredictable mask keys")
        nextOffset = 0
    }
}
