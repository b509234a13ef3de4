import WSIO

/// What the bytes received so far on a `proxy_protocol` listener hold.
public enum ProxyProtocolResult: Sendable {
    /// A prefix of a valid header: read more.
    case incomplete
    /// Not a valid header; the connection should be closed without an answer.
    case invalid(String)
    /// A complete header of `length` bytes (the client's data follows it). The addresses are nil for a
    /// LOCAL command (a health check from the proxy itself), `UNKNOWN`, or a family other than IPv4/IPv6;
    /// the connection's own peer address then stands.
    case header(length: Int, source: SocketAddress?, destination: SocketAddress?)
}
