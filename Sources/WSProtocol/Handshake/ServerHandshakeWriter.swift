import WSHTTP

/// Writes the server's `101 Switching Protocols` answer.
public enum ServerHandshakeWriter {
    /// The 101 response head accepting the client's `key`, with the chosen subprotocol if any, then
    /// `extraHeaders`.
    public static func switchingProtocols(
        key: String, subprotocol: String?, extraHeaders: [(String, String)] = []
    ) -> [UInt8] {
        WebSocketAccept.withValue(forKey: key) {
            switchingProtocols(accept: $0, subprotocol: subprotocol, extraHeaders: extraHeaders)
        }
    }

    /// The 101 response head with `accept` (the `WebSocketAccept` value, computed once by a caller that
    /// also checks an upstream's answer against it).
    public static func switchingProtocols(
        accept: UnsafeRawBufferPointer, subprotocol: String?, extraHeaders: [(String, String)] = []
    ) -> [UInt8] {
        var head = HTTPHeadBuilder(lines: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
        head.appendField("Sec-WebSocket-Accept", accept)
        if let subprotocol { head.appendField("Sec-WebSocket-Protocol", subprotocol) }
        for (name, value) in extraHeaders { head.appendField(name, value) }
        return head.finish()
    }
}
