import WSHTTP

/// Builds the upgrade request the gateway sends upstream on behalf of a client.
public enum UpstreamRequestBuilder {
    /// Hop-by-hop fields (RFC 9110 section 7.6.1) plus those the gateway sets itself, lower-cased.
    static let replacedHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-accept", "sec-websocket-extensions", "x-forwarded-for", "x-forwarded-proto",
        "x-forwarded-host", "x-real-ip",
    ]

    /// The upstream request head: the gateway's own handshake fields, the client's end-to-end fields in
    /// order, forwarding fields, then `addHeaders`. `removeHeaders` holds lower-cased names to drop.
    public static func build(
        client: UpgradeRequest, upstreamAuthority: String, target: String, key: String, forwarding: ForwardingInfo,
        removeHeaders: Set<String> = [], addHeaders: [(String, String)] = []
    ) -> [UInt8] {
        let clientHeaders = client.head.headers
        let connectionOptions = clientHeaders.listElements("Connection").map { $0.lowercased() }
        let dropped = replacedHeaders.union(connectionOptions).union(removeHeaders)

        var headers: [(String, String)] = [
            ("Host", upstreamAuthority),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Version", "13"),
            ("Sec-WebSocket-Key", key),
        ]
        for field in clientHeaders where !dropped.contains(field.name.lowercased()) {
            headers.append((field.name, field.value))
        }
        let forwardedFor = clientHeaders.values("X-Forwarded-For") + [forwarding.clientAddress]
        headers.append(("X-Forwarded-For", forwardedFor.joined(separator: ", ")))
        headers.append(("X-Forwarded-Proto", forwarding.scheme))
        headers.append(("X-Forwarded-Host", client.host))
        headers.append(("X-Real-IP", forwarding.clientAddress))
        headers.append(contentsOf: addHeaders)
        return HTTPRequestWriter.head(method: "GET", target: target, headers: headers)
    }
}
