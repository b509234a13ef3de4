import WSHTTP

/// Writes the server's `101 Switching Protocols` answer.
public enum ServerHandshakeWriter {
    /// The 101 response head with the accept value, the chosen subprotocol if any, then `extraHeaders`.
    public static func switchingProtocols(
        accept: String, subprotocol: String?, extraHeaders: [(String, String)] = []
    ) -> [UInt8] {
        var headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)]
        if let subprotocol { headers.append(("Sec-WebSocket-Protocol", subprotocol)) }
        return HTTPResponseWriter.head(status: 101, headers: headers + extraHeaders)
    }
}
