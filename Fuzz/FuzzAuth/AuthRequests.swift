import FuzzSupport
import WSGateway
import WSHTTP
import WSProtocol

/// Requests for the auth harness, and the check on what an accepted one sends upstream.
enum AuthRequests {
    /// `prefix + middle + suffix` parsed as a request head, or nil when the parser refuses it.
    static func parse(_ prefix: String, _ middle: [UInt8], _ suffix: String) -> HTTPRequestHead? {
        let bytes = Array(prefix.utf8) + middle + Array(suffix.utf8)
        var parser = HTTPRequestHeadParser()
        let result = bytes.withUnsafeBytes { raw in Result { () throws(HTTPHeadError) in try parser.parse(raw) } }
        guard case .success(.complete(let head, _)) = result else { return nil }
        return head
    }

    /// No control characters (other than tab) and no outer spaces: what a header value may hold.
    static func isSafeValue(_ value: String) -> Bool {
        !value.utf8.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }
            && value.utf8.first != 0x20 && value.utf8.last != 0x20
    }

    /// The upstream request the relay would send must parse and hold no credential (the default
    /// `strip_credentials`): no Authorization, no token query parameter or cookie, no bearer subprotocol.
    static func checkUpstreamRequest(upgrade: UpgradeRequest, success: AuthSuccess) {
        let target = success.upstreamTarget(upgrade.head.target)
        let built = UpstreamRequestBuilder.build(
            client: upgrade, upstreamAuthority: "upstream:9000", target: target, key: "dGhlIHNhbXBsZSBub25jZQ==",
            forwarding: ForwardingInfo(clientAddress: "198.51.100.1", scheme: "http"),
            removeHeaders: success.removeHeaders, addHeaders: success.addHeaders)
        guard let head = parse("", built, "") else {
            fuzzCheck(false, "upstream request does not parse: \(String(decoding: built, as: UTF8.self))")
            return
        }
        fuzzCheck(!head.headers.contains("Authorization"), "Authorization forwarded")
        let query = head.query ?? ""
        fuzzCheck(!query.split(separator: "&").contains { $0 == "token" || $0.hasPrefix("token=") }, "token left in \(head.target)")
        for cookie in head.headers.values("Cookie") {
            fuzzCheck(!cookie.split(separator: ";").contains { $0.drop { $0 == " " }.hasPrefix("token=") }, "token cookie forwarded: \(cookie)")
        }
        fuzzCheck(!head.headers.listElements("Sec-WebSocket-Protocol").contains { $0.hasPrefix("bearer.") },
                  "bearer subprotocol forwarded")
        fuzzCheck(head.headers.values("X-Auth-Identity") == [success.identity], "identity header \(head.headers.values("X-Auth-Identity"))")
    }
}
