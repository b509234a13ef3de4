import WSHTTP

/// Builds the upgrade request the gateway sends upstream on behalf of a client.
public enum UpstreamRequestBuilder {
    /// Hop-by-hop fields (RFC 9110 section 7.6.1) plus those the gateway sets itself.
    static let replacedHeaders: HTTPFieldNameSet = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-accept", "sec-websocket-extensions", "x-forwarded-for", "x-forwarded-proto",
        "x-forwarded-host", "x-real-ip",
    ]

    /// The upstream request head: the gateway's own handshake fields, the client's end-to-end fields in
    /// order, forwarding fields, then `addHeaders`. `removeHeaders` holds names to drop (any case).
    public static func build(
        client: UpgradeRequest, upstreamAuthority: String, target: String, key: String, forwarding: ForwardingInfo,
        removeHeaders: Set<String> = [], addHeaders: [(String, String)] = []
    ) -> [UInt8] {
        let clientHeaders = client.head.headers
        var head = HTTPHeadBuilder(method: "GET", target: target)
        head.appendField("Host", upstreamAuthority)
        head.appendLines("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
        head.appendField("Sec-WebSocket-Key", key)
        head.appendEndToEndFields(
            of: clientHeaders, excluding: removeHeaders.isEmpty ? replacedHeaders : replacedHeaders.union(removeHeaders))
        let earlierHops = clientHeaders.values("X-Forwarded-For")
        head.appendField("X-Forwarded-For", earlierHops.isEmpty
            ? forwarding.clientAddress : (earlierHops + [forwarding.clientAddress]).joined(separator: ", "))
        head.appendField("X-Forwarded-Proto", forwarding.scheme)
        head.appendField("X-Forwarded-Host", client.host)
        head.appendField("X-Real-IP", forwarding.clientAddress)
        for (name, value) in addHeaders { head.appendField(name, value) }
        return head.finish()
    }
}
