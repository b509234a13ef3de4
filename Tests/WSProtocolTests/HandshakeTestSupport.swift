import Testing
import WSHTTP
import WSProtocol

enum HandshakeFixture {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    /// Parses a request head written as lines (CRLF and the final empty line are added).
    static func request(_ lines: [String]) throws -> HTTPRequestHead {
        let bytes = Array((lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
        var parser = HTTPRequestHeadParser()
        let result = try bytes.withUnsafeBytes { buffer in try parser.parse(buffer) }
        guard case .complete(let head, _) = result else { throw FixtureError.incomplete }
        return head
    }

    /// Parses a response head written as lines.
    static func response(_ lines: [String]) throws -> HTTPResponseHead {
        let bytes = Array((lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
        var parser = HTTPResponseHeadParser()
        let result = try bytes.withUnsafeBytes { buffer in try parser.parse(buffer) }
        guard case .complete(let head, _) = result else { throw FixtureError.incomplete }
        return head
    }

    /// A valid upgrade request's lines, with `replacing` fields (by exact name) swapped or removed (nil).
    static func upgradeLines(
        requestLine: String = "GET /chat?room=1 HTTP/1.1", replacing: [String: String?] = [:], adding: [String] = []
    ) -> [String] {
        let standard: [(String, String)] = [
            ("Host", "gw.example.com"),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]
        var lines = [requestLine]
        for (name, value) in standard {
            if let replacement = replacing[name] {
                if let replacement { lines.append("\(name): \(replacement)") }
            } else {
                lines.append("\(name): \(value)")
            }
        }
        return lines + adding
    }

    static func validUpgrade(adding: [String] = []) throws -> UpgradeRequest {
        try ClientHandshakeValidator.validate(request(upgradeLines(adding: adding))).get()
    }
}

enum FixtureError: Error {
    case incomplete
}

func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}
