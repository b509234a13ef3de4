import COpenSSL

/// Computes `Sec-WebSocket-Accept` (RFC 6455 section 4.2.2).
public enum WebSocketAccept {
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(key + GUID)).
    public static func value(forKey key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        let status = EVP_Digest(input, input.count, &digest, &digestLength, EVP_sha1(), nil)
        precondition(status == 1 && digestLength == 20, "SHA-1 is unavailable in this OpenSSL build")
        return Base64.encode(digest[..<Int(digestLength)])
    }
}
