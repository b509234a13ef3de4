import COpenSSL

/// Computes `Sec-WebSocket-Accept` (RFC 6455 section 4.2.2).
public enum WebSocketAccept {
    private static let guid = Array("258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8)

    /// Bytes in an accept value: base64 of a 20-byte SHA-1 digest.
    public static let length = 28

    /// base64(SHA-1(key + GUID)).
    public static func value(forKey key: String) -> String {
        withValue(forKey: key) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with base64(SHA-1(key + GUID)), computed on the stack. Inlinable so that a caller in
    /// another module gets it specialized, not generic code that looks up type metadata at run time.
    @inlinable
    public static func withValue<Result>(forKey key: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { value in
            write(forKey: key, into: value)
            return body(UnsafeRawBufferPointer(value))
        }
    }

    /// Writes base64(SHA-1(key + GUID)) into the first `length` bytes of `value`.
    @usableFromInline
    static func write(forKey key: String, into value: UnsafeMutableRawBufferPointer) {
        precondition(value.count >= length, "room for the accept value")
        key.withUTF8Bytes { key in
            withUnsafeTemporaryAllocation(byteCount: key.count + guid.count, alignment: 1) { input in
                input.copyMemory(from: key)
                guid.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[key.count...]).copyMemory(from: $0) }
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digest in
                    precondition(wsg_sha1(input.baseAddress, input.count, digest.baseAddress) == 1, "SHA-1 failed")
                    Base64.withEncoded(UnsafeRawBufferPointer(digest)) { value.copyMemory(from: $0) }
                }
            }
        }
    }
}
