/// Parses `wsgate`'s arguments into a `Command`.
public enum CommandLineParser {
    /// The general usage text listing every subcommand.
    public static var usage: String { Usage.general }

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(CLIError) -> Command {
        guard let first = arguments.first else { return .runDefault }
        switch first {
        case "--help", "-h":
            return .help(Usage.general)
        case "help":
            let topic = arguments.dropFirst().first
            return .help(topic.flatMap { name in subcommands.first { $0.name == name }?.usage } ?? Usage.general)
        case "--version":
            return .version
        default:
            break
        }
        guard let subcommand = subcommands.first(where: { $0.name == first }) else {
            let kind = first.hasPrefix("-") ? "option" : "command"
            throw CLIError(message: "unknown \(kind) \"\(first)\"", usage: Usage.general)
        }
        let outcome = try FlagScanner.scan(
            arguments.dropFirst(), specs: subcommand.flags, command: subcommand.name, usage: subcommand.usage)
        switch outcome {
        case .helpRequested: return .help(subcommand.usage)
        case .flags(let flags): return try subcommand.build(flags)
        }
    }

    /// One subcommand: its flags, help text and how its flags become a `Command`.
    struct Subcommand: Sendable {
        let name: String
        let usage: String
        let flags: [FlagSpec]
        let build: @Sendable (ScannedFlags) throws(CLIError) -> Command
    }

    static let subcommands: [Subcommand] = [
        Subcommand(name: "run", usage: Usage.run, flags: [.value("--config"), .value("--workers")] + OperationsOptions.flags) {
            flags throws(CLIError) in
            .run(configPath: try flags.required("--config", for: "run"), workers: try flags.workers(),
                 operations: try OperationsOptions(flags: flags))
        },
        Subcommand(name: "check", usage: Usage.check, flags: [.value("--config")]) { flags throws(CLIError) in
            .check(configPath: try flags.required("--config", for: "check"))
        },
        Subcommand(
            name: "proxy", usage: Usage.proxy,
            flags: [.value("--from"), .value("--to", repeatable: true), .value("--tls-cert"), .value("--tls-key"),
                    .value("--workers"), .value("--path-prefix")]
                + ProxyOptions.limitFlags + ProxyOptions.poolFlags + ScannedFlags.authFlags + OperationsOptions.flags,
            build: buildProxy),
        Subcommand(
            name: "echo", usage: Usage.echo,
            flags: [.value("--listen"), .value("--workers"), .value("--tls-cert"), .value("--tls-key"), .toggle("--deflate")]
        ) { flags throws(CLIError) in
            .echo(EchoOptions(
                listen: try flags.requiredAddress("--listen", for: "echo"), workers: try flags.workers(),
                tls: try flags.certificate(), deflate: flags.isSet("--deflate")))
        },
        Subcommand(
            name: "bench", usage: Usage.bench,
            flags: [.value("--url"), .value("--conns"), .value("--size"), .value("--depth"), .value("--duration"),
                    .value("--header", repeatable: true), .toggle("--idle"), .toggle("--churn"), .value("--ca"),
                    .toggle("--insecure"), .value("--workers"), .value("--source-addresses"), .toggle("--json"),
                    .value("--warmup"), .toggle("--tls-resume"), .value("--watch-pids"), .toggle("--deflate"),
                    .value("--payload"), .value("--rate")],
            build: buildBench),
        Subcommand(name: "version", usage: Usage.version, flags: []) { _ in .version },
    ]

    private static func buildProxy(_ flags: ScannedFlags) throws(CLIError) -> Command {
        var options = ProxyOptions(
            from: try flags.requiredAddress("--from", for: "proxy"), to: try flags.requiredURL("--to", for: "proxy"))
        for text in flags.allValues("--to").dropFirst() {
            do throws(ConfigError) {
                options.upstreams.append(try UpstreamURL(parsing: text))
            } catch {
                throw flags.error("--to: \(error.message)")
            }
        }
        try options.readPoolFlags(flags)
        options.tls = try flags.certificate()
        options.workers = try flags.workers()
        options.auth = try flags.auth()
        if let prefix = flags.value("--path-prefix") {
            do throws(ConfigError) {
                try ConfigDecoder.validatePathPrefix(prefix, at: "--path-prefix")
            } catch {
                throw flags.error(error.description)
            }
            options.pathPrefix = prefix
        }
        try options.readLimitFlags(flags)
        options.operations = try OperationsOptions(flags: flags)
        return .proxy(options)
    }
}
