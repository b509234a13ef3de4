import WSHTTP

/// Checks an upstream's response to the gateway's upgrade request (RFC 6455 section 4.1, client side).
public enum UpstreamResponseValidator {
    /// The accepted upgrade, or why the upstream's answer cannot be used. With `extensionsOffered`, the
    /// extension answer is left to `DeflateNegotiation.acceptResponse`; without, any is refused.
    public static func validate(
        _ head: HTTPResponseHead, key: String, offeredSubprotocols: [String], extensionsOffered: Bool = false
    ) -> Result<UpstreamUpgrade, UpstreamHandshakeError> {
        WebSocketAccept.withValue(forKey: key) {
            validate(head, accept: $0, offeredSubprotocols: offeredSubprotocols, extensionsOffered: extensionsOffered)
        }
    }

    /// `validate` against `accept`, the `WebSocketAccept` value of the key that was sent.
    public static func validate(
        _ head: HTTPResponseHead, accept: UnsafeRawBufferPointer, offeredSubprotocols: [String],
        extensionsOffered: Bool = false
    ) -> Result<UpstreamUpgrade, UpstreamHandshakeError> {
        let headers = head.headers
        guard head.status == 101 else {
            return .failure(UpstreamHandshakeError(
                reason: "upstream refused the upgrade with \(head.status)", upstreamStatus: head.status))
        }
        guard headers.containsToken("Upgrade", "websocket") else {
            return .failure(UpstreamHandshakeError(reason: "upstream 101 lacks Upgrade: websocket"))
        }
        guard headers.containsToken("Connection", "upgrade") else {
            return .failure(UpstreamHandshakeError(reason: "upstream 101 lacks Connection: upgrade"))
        }
        guard headers.hasSingle("Sec-WebSocket-Accept", equalTo: accept) else {
            return .failure(UpstreamHandshakeError(reason: "upstream sent a wrong Sec-WebSocket-Accept"))
        }
        if !extensionsOffered && headers.contains("Sec-WebSocket-Extensions") {
            return .failure(UpstreamHandshakeError(reason: "upstream selected an extension none was offered"))
        }
        let chosen = headers.listElements("Sec-WebSocket-Protocol")
        guard chosen.count <= 1 else {
            return .failure(UpstreamHandshakeError(reason: "upstream selected more than one subprotocol"))
        }
        if let subprotocol = chosen.first, !offeredSubprotocols.contains(subprotocol) {
            return .failure(UpstreamHandshakeError(reason: "upstream selected a subprotocol that was not offered"))
        }
        return .success(UpstreamUpgrade(subprotocol: chosen.first, head: head))
    }
}
