import Foundation
import WSGateway
import WSIO

/// A test gateway (echo route `/echo`, 2 loops) with the admin listener on a free port.
///
/// `@unchecked Sendable`: started and stopped from the test's thread only.
final class AdminTestGateway: @unchecked Sendable {
    let gateway: TestGateway
    let admin: AdminServer
    var port: UInt16 { gateway.port }
    var adminPort: UInt16 { admin.boundAddress.port }

    init(tokenFile: String? = nil, routes: [TestGateway.Route] = []) throws {
        gateway = try TestGateway(routes: routes)
        admin = try AdminServer(config: AdminConfig(address: SocketAddressSpec(host: "127.0.0.1", port: 0), tokenFile: tokenFile),
                                gateway: gateway.server)
        admin.start()
    }

    /// GET `path` on the admin listener.
    func get(_ path: String, headers: [(String, String)] = []) throws -> HTTPResponse {
        try AdminHTTP.get(port: adminPort, path: path, headers: headers)
    }

    /// Scrapes `/metrics`, requiring a 200 in the Prometheus text format, and parses it strictly.
    func scrape(headers: [(String, String)] = []) throws -> PrometheusExposition {
        let response = try get("/metrics", headers: headers)
        guard response.status == 200 else { throw TestSocketError(description: "/metrics answered \(response)") }
        guard response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8" else {
            throw TestSocketError(description: "/metrics Content-Type \(response.header("Content-Type") ?? "none")")
        }
        return try PrometheusExposition(parsing: response.bodyText)
    }

    /// Waits until every client connection has finished (their counters then sit in the loops' totals).
    func waitUntilIdle(timeout: Double = 5) throws {
        let deadline = Deadline.after(timeout)
        while gateway.server.connectionCount > 0 {
            guard !deadline.passed else { throw TestSocketError(description: "connections still open after \(timeout) s") }
            usleep(5_000)
        }
    }

    func stop() {
        admin.stop()
        gateway.stop()
    }

    deinit { stop() }
}

/// One-shot HTTP/1.1 GETs for the admin listener.
enum AdminHTTP {
    static func get(port: UInt16, path: String, method: String = "GET", headers: [(String, String)] = []) throws -> HTTPResponse {
        let socket = try TestSocket.connect(port: port, timeout: 5)
        defer { socket.close() }
        let lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"] + headers.map { "\($0.0): \($0.1)" }
        try socket.send(lines.joined(separator: "\r\n") + "\r\n\r\n")
        return try HTTPResponse.read(from: socket, readBody: true)
    }
}

/// A Prometheus text exposition (format 0.0.4) parsed strictly: every line is a HELP, a TYPE or a
/// sample `name{label="value",...} value`; a family's HELP and TYPE come once, before its samples; a
/// sample belongs to a declared family (histograms through `_bucket`, `_sum`, `_count`); no series twice.
struct PrometheusExposition {
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let problem: String
        var description: String { "line \(line): \(problem)" }
    }

    /// Values by series key: `name{a="x",b="y"}` with labels sorted, or the bare name.
    private(set) var samples: [String: Double] = [:]
    /// Every sample in order, labels parsed.
    private(set) var all: [(name: String, labels: [String: String], value: Double)] = []
    /// Family name → type.
    private(set) var types: [String: String] = [:]
    private(set) var helps: [String: String] = [:]

    init(parsing text: String) throws {
        guard text.hasSuffix("\n") else { throw ParseError(line: 0, problem: "the exposition must end with a line feed") }
        var familiesWithSamples: Set<String> = []
        var currentFamily: String?
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ problem: String) -> ParseError { ParseError(line: number, problem: "\(problem): \(line)") }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, Self.isMetricName(parts[0]) else { throw fail("malformed comment") }
                let name = String(parts[0])
                guard !familiesWithSamples.contains(name) else { throw fail("HELP or TYPE after the family's samples") }
                if line.hasPrefix("# HELP ") {
                    guard helps[name] == nil else { throw fail("second HELP") }
                    guard !parts[1].isEmpty else { throw fail("empty HELP") }
                    helps[name] = String(parts[1])
                } else {
                    guard types[name] == nil else { throw fail("second TYPE") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[1])) else {
                        throw fail("unknown type")
                    }
                    types[name] = String(parts[1])
                }
                currentFamily = name
                continue
            }
            guard !line.hasPrefix("#"), !line.isEmpty else { throw fail("stray line") }
            let (name, labels, value) = try Self.parseSample(line, fail: fail)
            let family = family(of: name)
            guard let family, types[family] != nil, helps[family] != nil else { throw fail("sample without HELP and TYPE") }
            guard family == currentFamily else { throw fail("sample away from its family's block") }
            if types[family] == "counter" && !name.hasSuffix("_total") { throw fail("counter not named _total") }
            familiesWithSamples.insert(family)
            let key = Self.key(name, labels)
            guard samples[key] == nil else { throw fail("duplicate series") }
            samples[key] = value
            all.append((name, Dictionary(uniqueKeysWithValues: labels), value))
        }
        guard Set(types.keys) == Set(helps.keys) else { throw ParseError(line: 0, problem: "HELP and TYPE name different families") }
    }

    /// The family a sample name belongs to (a histogram's `_bucket`, `_sum` and `_count` included).
    private func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return nil
    }

    /// The value of one series; nil when absent.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples[Self.key(name, labels.map { ($0.key, $0.value) })]
    }

    /// Every series of `name` as (labels, value).
    func series(_ name: String) -> [(labels: [String: String], value: Double)] {
        all.filter { $0.name == name }.map { ($0.labels, $0.value) }
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return name }
        return name + "{" + labels.sorted { $0.0 < $1.0 }.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
    }

    private static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == ":" }
    }

    private static func parseSample(_ line: Substring, fail: (String) -> ParseError) throws -> (String, [(String, String)], Double) {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = rest[..<nameEnd]
        guard isMetricName(name) else { throw fail("bad metric name") }
        rest = rest[nameEnd...]
        var labels: [(String, String)] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw fail("label without =") }
                let label = rest[..<equals]
                guard isMetricName(label), !label.hasPrefix("__") else { throw fail("bad label name") }
                guard labels.allSatisfy({ $0.0 != String(label) }) else { throw fail("label given twice") }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw fail("unquoted label value") }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { throw fail("unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first, "\\\"n".contains(escaped) else { throw fail("bad escape") }
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                labels.append((String(label), value))
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("expected , or }") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let valueText = rest.dropFirst()
        guard let value = ["+Inf": Double.infinity, "-Inf": -Double.infinity][String(valueText)] ?? Double(valueText),
              !valueText.contains(" ") else { throw fail("bad value") }
        return (String(name), labels, value)
    }
}

/// Writes a temporary admin token file and removes it when dropped.
final class TemporaryTokenFile {
    let path: String
    let token: String

    init(token: String = "test-admin-token-0123456789") throws {
        self.token = token
        path = FileManager.default.temporaryDirectory.appendingPathComponent("wsgate-admin-\(UUID().uuidString).token").path
        try (token + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
