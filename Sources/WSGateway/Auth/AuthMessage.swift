import WSJSON

/// The auth message a client sends first when its handshake carried no credential:
/// `{"type": "auth", "data": {"token": "…"}}` or `{"token": "…"}`. Other members are ignored.
enum AuthMessage {
    /// Larger first messages are refused unread.
    static let maximumSize = 16_384

    /// The token in `payload` (an unmasked text message).
    static func token(in payload: UnsafeRawBufferPointer) throws(AuthFailure) -> [UInt8] {
        guard payload.count <= maximumSize else { throw .malformedMessage }
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONParser.parse(payload, maxDepth: 8)
        } catch {
            throw .malformedMessage
        }
        guard case .object(let members) = document else { throw .malformedMessage }
        let holder: JSONValue
        if let type = members["type"] {
            guard type.stringValue == "auth", let data = members["data"], data.objectValue != nil else {
                throw .malformedMessage
            }
            holder = data
        } else {
            holder = document
        }
        guard let value = holder["token"] else { throw .missingToken }
        guard let token = value.stringValue, !token.isEmpty else { throw .malformedToken }
        return Array(token.utf8)
    }
}
