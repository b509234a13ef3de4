/// What a route does with permessage-deflate (RFC 7692); see docs/deflate.md.
public enum DeflateMode: String, Sendable, Hashable, CaseIterable {
    /// Not negotiated: the client's offer is removed and nothing is offered upstream.
    case off
    /// The client's permessage-deflate offers go upstream, the upstream's answer to the client, and
    /// compressed frames pass unchanged; size limits count compressed bytes.
    case passThrough = "pass-through"
    /// The gateway negotiates with each side on its own, inflates compressed messages (limits count
    /// inflated bytes) and compresses them again toward a side that negotiated it.
    case terminate

    /// The mode `"deflate": true` selects: the gateway owns compression, so size limits count inflated bytes
    /// and each side negotiates only what it supports.
    public static let enabledDefault = DeflateMode.terminate

    /// Parses a config or flag value; nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text)
    }

    /// The accepted values, for error messages.
    static let choices = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
}
