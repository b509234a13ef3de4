/// Parses the `HTTP/x.y` token of a request or status line.
enum HTTPVersion {
    /// The minor version of HTTP/1.0 or HTTP/1.1; a well-formed other version fails with 505.
    static func parseMinor(_ bytes: UnsafeRawBufferPointer) throws(HTTPHeadError) -> Int {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), digits.contains(bytes[5]),
            bytes[6] == UInt8(ascii: "."), digits.contains(bytes[7])
        else { throw .badRequest("malformed HTTP version") }
        guard bytes[5] == UInt8(ascii: "1"), bytes[7] <= UInt8(ascii: "1") else {
            throw HTTPHeadError(status: 505, reason: "unsupported HTTP version")
        }
        return Int(bytes[7] - UInt8(ascii: "0"))
    }
}
