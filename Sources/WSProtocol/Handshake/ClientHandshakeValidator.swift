import WSHTTP

/// Checks a client's opening handshake (RFC 6455 section 4.2.1) and says how to refuse it.
public enum ClientHandshakeValidator {
    /// The upgrade request, or the rejection to answer with.
    public static func validate(_ head: HTTPRequestHead) -> Result<UpgradeRequest, HandshakeRejection> {
        let headers = head.headers
        guard head.method == "GET" else {
            return .failure(HandshakeRejection(
                status: 405, reason: "only GET can open a WebSocket", headers: [("Allow", "GET")]))
        }
        guard headers.containsToken("Upgrade", "websocket") else {
            return .failure(HandshakeRejection(
                status: 426, reason: "a WebSocket upgrade is required",
                headers: [("Upgrade", "websocket"), ("Connection", "Upgrade")]))
        }
        guard head.versionMinor >= 1 else {
            return .failure(HandshakeRejection(status: 400, reason: "WebSocket requires HTTP/1.1"))
        }
        guard let host = headers.first("Host") else {
            return .failure(HandshakeRejection(status: 400, reason: "missing Host header"))
        }
        guard headers.containsToken("Connection", "upgrade") else {
            return .failure(HandshakeRejection(status: 400, reason: "Connection header lacks the upgrade token"))
        }
        guard headers.hasSingle("Sec-WebSocket-Version", equalTo: "13") else {
            return .failure(HandshakeRejection(
                status: 426, reason: "unsupported WebSocket version (only 13)",
                headers: [("Sec-WebSocket-Version", "13")]))
        }
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, WebSocketKey.isValid(key) else {
            let cause = keys.isEmpty ? "missing" : keys.count > 1 ? "duplicate" : "invalid"
            return .failure(HandshakeRejection(status: 400, reason: "\(cause) Sec-WebSocket-Key"))
        }
        let subprotocols = headers.listElements("Sec-WebSocket-Protocol")
        if !subprotocols.allSatisfy(HTTPToken.isValid) {
            return .failure(HandshakeRejection(
                status: 400, reason: "invalid subprotocol name in Sec-WebSocket-Protocol"))
        }
        return .success(UpgradeRequest(
            head: head, host: host, key: key, subprotocols: subprotocols,
            extensionOffers: headers.listElements("Sec-WebSocket-Extensions"), origin: headers.first("Origin")))
    }
}
