import WSHTTP

/// One complete admin response; every one closes its connection.
struct AdminResponse {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var headers: [(String, String)] = []

    static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> AdminResponse {
        AdminResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8),
                      headers: headers)
    }

    /// The bytes to write: head and body.
    var bytes: [UInt8] {
        let standard = [
            ("Content-Type", contentType),
            ("Content-Length", String(body.count)),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Connection", "close"),
        ]
        return HTTPResponseWriter.head(status: status, headers: standard + headers) + body
    }
}
