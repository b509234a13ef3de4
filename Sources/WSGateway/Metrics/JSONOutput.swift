import WSIO

/// A JSON document to write (WSJSON only reads): members keep their order, numbers their kind.
indirect enum JSONOutput {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONOutput])
    case object(KeyValuePairs<String, JSONOutput>)

    static func integer(_ value: UInt64) -> JSONOutput { .integer(Int64(clamping: value)) }
    static func integer(_ value: Int) -> JSONOutput { .integer(Int64(value)) }
    static func optional(_ value: String?) -> JSONOutput { value.map { .string($0) } ?? .null }

    /// Compact JSON text.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let value): Log.appendJSONString(value, to: &out)
        case .integer(let value): out += String(value)
        case .number(let value):
            // JSON has no NaN or infinity; rates and ages are finite unless a clock misbehaves.
            out += value.isFinite ? String((value * 1000).rounded() / 1000) : "null"
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                Log.appendJSONString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }
}
