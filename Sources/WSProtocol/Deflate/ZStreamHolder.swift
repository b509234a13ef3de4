import CZlib

/// A z_stream allocated when first needed and ended and freed by `release` (or with its owner), so a
/// direction that compresses nothing, or drops its context after each message, holds no zlib state.
final class ZStreamHolder {
    private(set) var stream: UnsafeMutablePointer<z_stream>?
    private let start: (UnsafeMutablePointer<z_stream>) -> Int32
    private let end: (UnsafeMutablePointer<z_stream>) -> Int32

    /// `start` is deflateInit2 or inflateInit2 with the direction's parameters; `end` its counterpart.
    init(start: @escaping (UnsafeMutablePointer<z_stream>) -> Int32,
         end: @escaping (UnsafeMutablePointer<z_stream>) -> Int32) {
        self.start = start
        self.end = end
    }

    /// The stream, set up on first use; nil when zlib could not set one up (out of memory).
    func prepared() -> UnsafeMutablePointer<z_stream>? {
        if let stream { return stream }
        let created = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        created.initialize(to: z_stream())
        guard start(created) == Z_OK else {
            created.deallocate()
            return nil
        }
        stream = created
        return created
    }

    func release() {
        guard let stream else { return }
        _ = end(stream)
        stream.deallocate()
        self.stream = nil
    }

    deinit { release() }
}
