import COpenSSL

/// Standard padded base64 (RFC 4648 section 4) for the handshake's short values.
enum Base64 {
    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        withEncoded(bytes) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with `bytes` encoded, on the stack.
    static func withEncoded<Result>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        // EVP_EncodeBlock ends the output with a NUL.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * ((bytes.count + 2) / 3) + 1) { output in
            let length = EVP_EncodeBlock(output.baseAddress, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                         Int32(bytes.count))
            return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[..<Int(length)]))
        }
    }

    /// The 6-bit value of a base64 alphabet character, or nil.
    static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
