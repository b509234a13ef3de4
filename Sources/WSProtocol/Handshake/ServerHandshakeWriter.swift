import WSHTTP

/// Writes the server's `101 Switching Protocols` answer.
public enum ServerHandshakeWriter {
    /// The 101 response head accepting the client's `key`, with the chosen subprotocol if any, then
    /// `extraHeaders`.
    public static func switchingProtocols(
        key: String, subprotocol: String?, extraHeaders: [(String, String)] = []
    ) -> [UInt8] {
        var head = HTTPHeadBuilder(status: 101)
        head.appendField("Upgrade", "websocket")
        head.appendField("Connection", "Upgrade")
        WebSocketAccept.withValue(forKey: key) { head.appendField("Sec-WebSocket-Accept", $0) }
        if let subprotocol { head.appendField("Sec-WebSocket-Protocol", subprotocol) }
        for (name, value) in extraHeaders { head.appendField(name, value) }
        return head.finish()
    }
}
