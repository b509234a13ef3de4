import Foundation

/// An HTTP response head (and body) as a client of the gateway received it.
struct HTTPResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []

    /// First value of the header `name` (case-insensitive).
    func header(_ name: String) -> String? { values(name).first }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    var description: String {
        "HTTP \(status) \(headers.map { "\($0.name): \($0.value)" }) body \"\(bodyText)\""
    }

    /// Reads a response head, then a body of its Content-Length when `readBody` is set.
    static func read(from socket: TestSocket, readBody: Bool, timeout: Double? = nil) throws -> HTTPResponse {
        let head = try socket.read(through: Array("\r\n\r\n".utf8), timeout: timeout)
        var lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw TestSocketError(description: "not an HTTP response: \(String(decoding: head, as: UTF8.self))")
        }
        var response = HTTPResponse(status: status, headers: [])
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw TestSocketError(description: "malformed header line \"\(line)\"")
            }
            response.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        if readBody, let length = response.header("Content-Length").flatMap(Int.init), length > 0 {
            response.body = try socket.read(exactly: length, timeout: timeout)
        }
        return response
    }
}

/// An HTTP request head as the scripted upstream received it.
struct HTTPRequestRecord: Sendable {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]

    func header(_ name: String) -> String? { values(name).first }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    static func read(from socket: TestSocket, timeout: Double? = nil) throws -> HTTPRequestRecord {
        let head = String(decoding: try socket.read(through: Array("\r\n\r\n".utf8), timeout: timeout), as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { throw TestSocketError(description: "bad request line in \(head)") }
        var record = HTTPRequestRecord(method: String(requestLine[0]), target: String(requestLine[1]), headers: [])
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw TestSocketError(description: "bad header line \(line)") }
            record.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return record
    }
}

/// Builds opening-handshake requests for tests.
enum UpgradeRequestText {
    /// A fresh random Sec-WebSocket-Key.
    static func newKey() -> String {
        Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// A valid upgrade request for `path`, plus `extraHeaders` (which may replace nothing: they are appended).
    static func make(path: String, host: String = "127.0.0.1", key: String, subprotocols: [String] = [],
                     extraHeaders: [(String, String)] = []) -> String {
        var lines = ["GET \(path) HTTP/1.1", "Host: \(host)", "Upgrade: websocket", "Connection: Upgrade",
                     "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13"]
        if !subprotocols.isEmpty { lines.append("Sec-WebSocket-Protocol: \(subprotocols.joined(separator: ", "))") }
        lines += extraHeaders.map { "\($0.0): \($0.1)" }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }
}
