import COpenSSL

/// Computes `Sec-WebSocket-Accept` (RFC 6455 section 4.2.2).
public enum WebSocketAccept {
    private static let guid = Array("258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8)

    /// base64(SHA-1(key + GUID)).
    public static func value(forKey key: String) -> String {
        withValue(forKey: key) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with base64(SHA-1(key + GUID)), 28 bytes computed on the stack.
    static func withValue<Result>(forKey key: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var key = key
        return key.withUTF8 { key in
            withUnsafeTemporaryAllocation(byteCount: key.count + guid.count, alignment: 1) { input in
                input.copyMemory(from: UnsafeRawBufferPointer(key))
                guid.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[key.count...]).copyMemory(from: $0) }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digest in
                    precondition(wsg_sha1(input.baseAddress, input.count, digest.baseAddress) == 1, "SHA-1 failed")
                    return Base64.withEncoded(UnsafeRawBufferPointer(digest), body)
                }
            }
        }
    }
}
