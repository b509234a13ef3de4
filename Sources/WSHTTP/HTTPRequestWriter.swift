/// Writes HTTP/1.1 request heads.
public enum HTTPRequestWriter {
    /// `method target HTTP/1.1` plus `headers`; unsafe header fields are dropped and bytes of `target`
    /// outside visible ASCII are percent-encoded. `method` must be a token.
    public static func head(method: String, target: String, headers: [(String, String)]) -> [UInt8] {
        var builder = HTTPHeadBuilder(method: method, target: target)
        for (name, value) in headers { builder.appendField(name, value) }
        return builder.finish()
    }
}
