/// Builds the Prometheus text exposition format, version 0.0.4: each family's HELP and TYPE lines,
/// then its samples, one per line.
struct PrometheusText {
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// The Content-Type this format is served with.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""

    /// Starts a family; its samples must follow before the next family starts.
    mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        text += "# HELP \(name) "
        for character in help.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(character)
            }
        }
        text += "\n# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: some BinaryInteger) {
        line(name, labels, String(value))
    }

    mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: Double) {
        line(name, labels, Self.format(value))
    }

    mutating func sample(_ name: String, _ value: some BinaryInteger) { sample(name, [:], value) }

    mutating func sample(_ name: String, _ value: Double) { sample(name, [:], value) }

    /// A family of one sample without labels.
    mutating func single(_ name: String, _ kind: Kind, _ help: String, _ value: UInt64) {
        family(name, kind, help)
        sample(name, value)
    }

    private mutating func line(_ name: String, _ labels: KeyValuePairs<String, String>, _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (position, (label, labelValue)) in labels.enumerated() {
                if position > 0 { text += "," }
                text += label
                text += "=\""
                Self.appendEscaped(labelValue, to: &text)
                text += "\""
            }
            text += "}"
        }
        text += " \(value)\n"
    }

    /// Label values escape backslash, double quote and line feed.
    private static func appendEscaped(_ value: String, to text: inout String) {
        for character in value.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(character)
            }
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
