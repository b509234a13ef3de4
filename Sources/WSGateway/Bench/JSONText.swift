import WSIO
/// A JSON value for writing reports (wsgate's JSON module only reads).
enum JSONText {
    case number(Double)
    case integer(UInt64)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    /// A number, or null when there is none (or it is not finite).
    static func number(_ value: Double?) -> JSONText {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// Compact JSON text.
    var text: String {
        switch self {
        case .number(let value):
            // Three decimals are plenty for every figure here and keep the output readable.
            let rounded = (value * 1000).rounded() / 1000
            return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
        case .integer(let value): return String(value)
        case .string(let value): return Self.quoted(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { Self.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ string: String) -> String {
        var out = ""
        Log.appendJSONString(string, to: &out)
        return out
    }
}
