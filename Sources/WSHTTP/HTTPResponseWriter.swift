/// Writes HTTP/1.1 response heads and small plain-text error responses.
public enum HTTPResponseWriter {
    /// An HTTP/1.1 response head; unsafe header fields are dropped, an unsafe or missing reason phrase
    /// is replaced by the standard one. `status` must be a three-digit code.
    public static func head(status: Int, reason: String? = nil, headers: [(String, String)]) -> [UInt8] {
        var builder = HTTPHeadBuilder(status: status, reason: reason)
        for (name, value) in headers { builder.appendField(name, value) }
        return builder.finish()
    }

    /// A complete response that closes the connection: `body` plus a newline as text/plain.
    public static func errorResponse(status: Int, body: String, headers: [(String, String)] = []) -> [UInt8] {
        let content = Array(body.utf8) + [HTTPSyntax.lf]
        let standard = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", String(content.count)),
            ("Connection", "close"),
        ]
        return head(status: status, headers: standard + headers) + content
    }
}
