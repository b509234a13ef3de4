/// A flag a subcommand accepts.
struct FlagSpec: Sendable {
    let name: String
    let takesValue: Bool
    let repeatable: Bool

    static func value(_ name: String, repeatable: Bool = false) -> FlagSpec {
        FlagSpec(name: name, takesValue: true, repeatable: repeatable)
    }

    static func toggle(_ name: String) -> FlagSpec {
        FlagSpec(name: name, takesValue: false, repeatable: false)
    }
}

/// The flags found on one subcommand's command line.
struct ScannedFlags {
    private(set) var values: [String: [String]] = [:]
    private(set) var toggles: Set<String> = []
    let usage: String

    init(usage: String) {
        self.usage = usage
    }

    /// The value of a non-repeatable flag, if given.
    func value(_ name: String) -> String? { values[name]?.first }

    /// Every value of a repeatable flag, in order.
    func allValues(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether a toggle was given.
    func isSet(_ name: String) -> Bool { toggles.contains(name) }

    mutating func add(_ value: String, for name: String) { values[name, default: []].append(value) }

    mutating func set(_ name: String) { toggles.insert(name) }

    func error(_ message: String) -> CLIError { CLIError(message: message, usage: usage) }
}

/// Splits a subcommand's arguments into flags, accepting `--flag value` and `--flag=value`.
enum FlagScanner {
    enum Outcome {
        case flags(ScannedFlags)
        case helpRequested
    }

    static func scan(_ arguments: ArraySlice<String>, specs: [FlagSpec], command: String, usage: String) throws(CLIError) -> Outcome {
        var flags = ScannedFlags(usage: usage)
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" { return .helpRequested }
            guard argument.hasPrefix("--") else {
                throw flags.error("unexpected argument \"\(argument)\" for \(command)")
            }
            let name: String
            var inlineValue: String? = nil
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw flags.error("unknown flag \(name) for \(command)")
            }
            if !spec.repeatable && (flags.value(name) != nil || flags.isSet(name)) {
                throw flags.error("\(name) given more than once")
            }
            guard spec.takesValue else {
                if inlineValue != nil { throw flags.error("\(name) takes no value") }
                flags.set(name)
                continue
            }
            if let inlineValue {
                guard !inlineValue.isEmpty else { throw flags.error("\(name) needs a value") }
                flags.add(inlineValue, for: name)
            } else {
                // A following flag is a forgotten value, not the value itself.
                guard let next = remaining.first, !next.hasPrefix("--"), !next.isEmpty else {
                    throw flags.error("\(name) needs a value")
                }
                flags.add(next, for: name)
                remaining = remaining.dropFirst()
            }
        }
        return .flags(flags)
    }
}
