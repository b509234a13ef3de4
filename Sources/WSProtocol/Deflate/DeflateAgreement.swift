/// The permessage-deflate parameters both ends agreed on (RFC 7692 §7), as in the server's response.
///
/// A window size left out means 15 bits. "Server" and "client" are the roles of the WebSocket
/// connection: toward a client the gateway is the server, toward an upstream it is the client.
public struct DeflateAgreement: Sendable, Equatable {
    /// The server starts every message with an empty window.
    public var serverNoContextTakeover = false
    /// The client starts every message with an empty window.
    public var clientNoContextTakeover = false
    /// LZ77 window the server's compressor may use, 8…15; nil = not stated (15).
    public var serverMaxWindowBits: Int?
    /// LZ77 window the client's compressor may use, 8…15; nil = not stated (15).
    public var clientMaxWindowBits: Int?

    /// Creates an agreement (the defaults are plain `permessage-deflate`).
    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The response's `Sec-WebSocket-Extensions` value.
    public var headerValue: String {
        var parts = ["permessage-deflate"]
        if serverNoContextTakeover { parts.append("server_no_context_takeover") }
        if clientNoContextTakeover { parts.append("client_no_context_takeover") }
        if let bits = serverMaxWindowBits { parts.append("server_max_window_bits=\(bits)") }
        if let bits = clientMaxWindowBits { parts.append("client_max_window_bits=\(bits)") }
        return parts.joined(separator: "; ")
    }

    /// How the side playing `role` compresses what it sends and decompresses what it receives.
    public func settings(as role: DeflateRole) -> (send: DeflateDirection, receive: DeflateDirection) {
        let server = DeflateDirection(noContextTakeover: serverNoContextTakeover, windowBits: serverMaxWindowBits ?? 15)
        let client = DeflateDirection(noContextTakeover: clientNoContextTakeover, windowBits: clientMaxWindowBits ?? 15)
        return role == .server ? (server, client) : (client, server)
    }
}

/// Which end of a WebSocket connection the gateway plays.
public enum DeflateRole: Sendable { case server, client }

/// The compression rules of one direction of a connection.
public struct DeflateDirection: Sendable, Equatable {
    /// Each message is compressed with an empty window (the compressor can be freed between messages).
    public let noContextTakeover: Bool
    /// Largest LZ77 window allowed, 8…15.
    public let windowBits: Int

    /// Creates the rules of one direction.
    public init(noContextTakeover: Bool, windowBits: Int) {
        self.noContextTakeover = noContextTakeover
        self.windowBits = windowBits
    }
}

/// The permessage-deflate parameters of one offer or response, each at most once, each valid.
struct DeflateParameters {
    var serverNoContextTakeover = false
    var clientNoContextTakeover = false
    var serverMaxWindowBits: Int?
    /// In an offer: present (maybe without a value, then 0) when the client supports the parameter.
    var clientMaxWindowBits: Int?

    /// Checks `element` as a permessage-deflate offer (`isResponse` false) or response; nil when it has an
    /// unknown, repeated or invalid parameter (RFC 7692 §7: such an offer is declined, such a response fails).
    init?(_ element: ExtensionOffer, isResponse: Bool) {
        guard element.name == "permessage-deflate" else { return nil }
        var seen = Set<String>()
        for parameter in element.parameters {
            guard seen.insert(parameter.name).inserted else { return nil }
            switch parameter.name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = Self.windowBits(parameter.value) else { return nil }
                serverMaxWindowBits = bits
            case "client_max_window_bits":
                if parameter.value == nil && !isResponse {
                    clientMaxWindowBits = 0
                } else {
                    guard let bits = Self.windowBits(parameter.value) else { return nil }
                    clientMaxWindowBits = bits
                }
            default:
                return nil
            }
        }
    }

    /// A window size: 1–2 decimal digits without a leading zero, 8…15.
    private static func windowBits(_ value: String?) -> Int? {
        guard let value, value.utf8.count <= 2, value.utf8.first != UInt8(ascii: "0"),
              value.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let bits = Int(value), (8...15).contains(bits)
        else { return nil }
        return bits
    }
}
