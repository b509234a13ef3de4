extension String {
    /// Calls `body` with the string's UTF-8 bytes, read in place.
    ///
    /// `withUTF8` is mutating, so calling it on a parameter means a copy: a retain and a release on every
    /// call, which the handshake path made some hundred times per connection. Native strings (every string
    /// on Linux) are contiguous and need no copy; only another kind is copied first.
    @inlinable @inline(__always)
    public func withUTF8Bytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        var copy = self
        return try copy.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
