import COpenSSL

/// Computes `Sec-WebSocket-Accept` (RFC 6455 section 4.2.2).
public enum WebSocketAccept {
    private static let guid = Array("258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8)

    /// SHA-1 fetched once: with `EVP_sha1()` OpenSSL 3 looks the algorithm up again on every digest.
    /// `@unchecked Sendable`: a fetched `EVP_MD` is never modified, and OpenSSL lets threads share it.
    private struct Algorithm: @unchecked Sendable {
        let md: OpaquePointer
    }

    private static let sha1: Algorithm = {
        guard let md = EVP_MD_fetch(nil, "SHA1", nil) else { preconditionFailure("SHA-1 is unavailable in this OpenSSL build") }
        return Algorithm(md: md)
    }()

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
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { digest in
                    var digestLength: UInt32 = 0
                    let status = EVP_Digest(input.baseAddress, input.count, digest.baseAddress, &digestLength, sha1.md, nil)
                    precondition(status == 1 && digestLength == 20, "SHA-1 failed")
                    return Base64.withEncoded(UnsafeRawBufferPointer(start: digest.baseAddress, count: 20), body)
                }
            }
        }
    }
}
