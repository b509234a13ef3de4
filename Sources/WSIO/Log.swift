import Glibc
import Synchronization

/// Structured logging: one JSON object per line on stderr, written with a single write(2).
public enum Log {
    public enum Level: Int, Sendable, Comparable {
        case debug = 0, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public var name: String { ["debug", "info", "warn", "error"][rawValue] }
        public init?(name: String) {
            guard let i = ["debug", "info", "warn", "error"].firstIndex(of: name) else { return nil }
            self.init(rawValue: i)
        }
    }

    private static let threshold = Atomic<Int>(Level.info.rawValue)

    public static func setLevel(_ level: Level) { threshold.store(level.rawValue, ordering: .relaxed) }
    public static func enabled(_ level: Level) -> Bool { level.rawValue >= threshold.load(ordering: .relaxed) }

    public static func debug(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { emit(.debug, event, fields) }
    public static func info(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { emit(.info, event, fields) }
    public static func warn(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { emit(.warn, event, fields) }
    public static func error(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { emit(.error, event, fields) }

    public static func emit(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, LogValue>) {
        guard enabled(level) else { return }
        var line = "{\"time\":\"\(timestamp())\",\"level\":\"\(level.name)\",\"event\":"
        appendJSONString(event, to: &line)
        for (key, value) in fields {
            line += ","
            appendJSONString(key, to: &line)
            line += ":"
            switch value {
            case .string(let s): appendJSONString(s, to: &line)
            case .int(let i): line += String(i)
            case .double(let d): line += d.isFinite ? String(d) : "null"
            case .bool(let b): line += b ? "true" : "false"
            }
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// RFC 3339 UTC time with milliseconds.
    public static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }

    public static func appendJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A value in a log line.
public enum LogValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
