import WSHTTP

/// Writes a plain client upgrade request (for wsgate's own WebSocket client: bench and tests).
public enum ClientRequestWriter {
    /// `GET target` with Host, the upgrade fields, the offered subprotocols if any, then `headers`.
    public static func build(
        host: String, target: String, key: String, subprotocols: [String] = [], headers: [(String, String)] = []
    ) -> [UInt8] {
        var fields = [
            ("Host", host),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]
        if !subprotocols.isEmpty { fields.append(("Sec-WebSocket-Protocol", subprotocols.joined(separator: ", "))) }
        return HTTPRequestWriter.head(method: "GET", target: target, headers: fields + headers)
    }
}
