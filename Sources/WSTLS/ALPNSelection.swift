import COpenSSL

/// Server-side ALPN choice: `http/1.1` if the client offers it, otherwise no ALPN answer at all.
enum ALPNSelection {
    /// The `SSL_CTX_set_alpn_select_cb` callback.
    static let callback:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
            UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
        ) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
            guard let out, let outLength, let offered,
                let match = findHTTP11(in: UnsafeBufferPointer(start: offered, count: Int(offeredLength)))
            else { return SSL_TLSEXT_ERR_NOACK }
            // OpenSSL requires the answer to point into the client's list, which outlives the callback.
            out.pointee = offered + match
            outLength.pointee = UInt8(ContextSettings.alpnHTTP11.count - 1)
            return SSL_TLSEXT_ERR_OK
        }

    /// The offset of the `http/1.1` name inside a wire-format protocol list, if listed.
    static func findHTTP11(in list: UnsafeBufferPointer<UInt8>) -> Int? {
        let wanted = ContextSettings.alpnHTTP11
        var position = 0
        while position < list.count {
            let length = Int(list[position])
            let end = position + 1 + length
            if end > list.count { return nil }
            if length + 1 == wanted.count && list[position..<end].elementsEqual(wanted) { return position + 1 }
            position = end
        }
        return nil
    }
}
