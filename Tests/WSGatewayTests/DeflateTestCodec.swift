import WSProtocol

/// Whole-message permessage-deflate for tests, on the project's codec (which has its own tests in
/// WSProtocolTests), so a test can speak compressed WebSocket to a server.
final class DeflateTestCodec {
    let deflater: Deflater
    let inflater: Inflater

    /// The codec of the side playing `role` under `agreement`.
    init(_ agreement: DeflateAgreement, as role: DeflateRole) {
        let settings = agreement.settings(as: role)
        deflater = Deflater(settings.send)
        inflater = Inflater(settings.receive)
    }

    func compress(_ message: [UInt8]) -> [UInt8] {
        let out = MessageBuffer()
        let ok = message.withUnsafeBytes { deflater.deflate($0, into: out) }
        precondition(ok, "zlib failed")
        return Array(out.bytes)
    }

    /// The inflated message, or nil when the payload is not valid deflate data.
    func inflate(_ payload: [UInt8]) -> [UInt8]? {
        let out = MessageBuffer()
        var outcome = payload.withUnsafeBytes { inflater.inflate($0, into: out, limit: .max) }
        if outcome == .ok { outcome = inflater.finishMessage(into: out, limit: .max) }
        return outcome == .ok ? Array(out.bytes) : nil
    }
}
