import WSHTTP

/// Builds the request changes of an `AuthSuccess`.
struct UpstreamEdits {
    private let identity: String
    private var removeHeaders: Set<String>
    private var addHeaders: [(String, String)]
    private var strippedQueryParameter: String?
    private var strippedSubprotocol: String?

    /// Identity and claim headers for `principal`, replacing any the client sent.
    init(principal: Principal, managedHeaders: Set<String>, identityHeader: String) {
        identity = principal.identity
        removeHeaders = managedHeaders
        addHeaders = [(identityHeader, principal.identity)] + principal.claimHeaders
    }

    /// Also removes every credential `search` found, so the upstream sees the identity, not the secret.
    mutating func strip(_ search: CredentialSearch, request: HTTPRequestHead, subprotocols: [String], config: AuthConfig) {
        let present = search.presentSources
        if present.contains(.header) { removeHeaders.insert("authorization") }
        if present.contains(.query) { strippedQueryParameter = config.queryParameter }
        if present.contains(.cookie) {
            removeHeaders.insert("cookie")
            if let rest = CookieHeader.removing(config.cookieName, from: request.headers.values("Cookie")) {
                addHeaders.append(("Cookie", rest))
            }
        }
        if present.contains(.subprotocol), let entry = search.subprotocolEntry {
            strippedSubprotocol = entry
            removeHeaders.insert("sec-websocket-protocol")
            let rest = subprotocols.filter { $0 != entry }
            if !rest.isEmpty { addHeaders.append(("Sec-WebSocket-Protocol", rest.joined(separator: ", "))) }
        }
    }

    var success: AuthSuccess {
        AuthSuccess(
            identity: identity, removeHeaders: removeHeaders, addHeaders: addHeaders,
            strippedQueryParameter: strippedQueryParameter, strippedSubprotocol: strippedSubprotocol)
    }
}
