/// How a pool picks the upstream for a new connection.
public enum BalancePolicy: Sendable, Hashable, CustomStringConvertible {
    /// Smooth weighted round robin.
    case roundRobin
    /// The member with the fewest connections relative to its weight.
    case leastConnections
    /// Consistent hashing of a per-request key onto a ring with virtual nodes.
    case hash(HashKeySource)

    /// Parses `round-robin`, `least-conn`, `hash-ip`, `hash-identity`, `hash-header:NAME` or
    /// `hash-query:NAME`.
    public init(parsing text: String) throws(ConfigError) {
        switch text {
        case "round-robin": self = .roundRobin
        case "least-conn": self = .leastConnections
        case "hash-ip": self = .hash(.clientIP)
        case "hash-identity": self = .hash(.identity)
        default:
            if text.hasPrefix("hash-header:") {
                let name = String(text.dropFirst("hash-header:".count))
                guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenCharacter) else {
                    throw ConfigError(keyPath: "", message: "hash-header needs a header name, e.g. hash-header:X-Tenant")
                }
                self = .hash(.header(HostName.asciiLowercased(name)))
            } else if text.hasPrefix("hash-query:") {
                let name = String(text.dropFirst("hash-query:".count))
                guard !name.isEmpty else {
                    throw ConfigError(keyPath: "", message: "hash-query needs a parameter name, e.g. hash-query:room")
                }
                self = .hash(.query(name))
            } else {
                throw ConfigError(keyPath: "", message: "must be \"round-robin\", \"least-conn\", \"hash-ip\", "
                    + "\"hash-identity\", \"hash-header:NAME\" or \"hash-query:NAME\", got \"\(text)\"")
            }
        }
    }

    /// The configuration spelling.
    public var description: String {
        switch self {
        case .roundRobin: "round-robin"
        case .leastConnections: "least-conn"
        case .hash(.clientIP): "hash-ip"
        case .hash(.identity): "hash-identity"
        case .hash(.header(let name)): "hash-header:\(name)"
        case .hash(.query(let name)): "hash-query:\(name)"
        }
    }

    /// RFC 9110 token characters (header field names).
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

/// What a hashing pool hashes.
public enum HashKeySource: Sendable, Hashable {
    /// The client's address (the real client behind a trusted proxy).
    case clientIP
    /// The authenticated identity (needs `auth`).
    case identity
    /// A request header's value; the name is lower-cased.
    case header(String)
    /// A query parameter's (percent-decoded) value.
    case query(String)
}
