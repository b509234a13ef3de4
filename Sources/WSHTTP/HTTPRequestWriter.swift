/// Writes HTTP/1.1 request heads.
public enum HTTPRequestWriter {
    /// `method target HTTP/1.1` plus `headers`; unsafe header fields are dropped and bytes of `target`
    /// outside visible ASCII are percent-encoded. `method` must be a token.
    public static func head(method: String, target: String, headers: [(String, String)]) -> [UInt8] {
        precondition(HTTPToken.isValid(method), "method must be an HTTP token")
        var builder = HTTPHeadBuilder(startLine: "\(method) \(safeTarget(target)) HTTP/1.1")
        for (name, value) in headers { builder.appendField(name, value) }
        return builder.finish()
    }

    private static func safeTarget(_ target: String) -> String {
        if target.isEmpty { return "/" }
        if target.utf8.allSatisfy(HTTPSyntax.isVisibleASCII) { return target }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in target.utf8 {
            if HTTPSyntax.isVisibleASCII(byte) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
