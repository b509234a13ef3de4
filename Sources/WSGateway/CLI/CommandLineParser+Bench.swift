extension CommandLineParser {
    static func buildBench(_ flags: ScannedFlags) throws(CLIError) -> Command {
        var options = BenchOptions(url: try flags.requiredURL("--url", for: "bench"))
        options.connections = try flags.integer("--conns", in: 1...1_000_000) ?? options.connections
        options.messageSize = try flags.integer("--size", in: 0...(64 << 20)) ?? options.messageSize
        options.depth = try flags.integer("--depth", in: 1...4096) ?? options.depth
        options.duration = try flags.milliseconds("--duration", allowZero: false) ?? options.duration
        options.warmup = try flags.milliseconds("--warmup", allowZero: true) ?? options.warmup
        options.headers = try flags.allValues("--header").map { text throws(CLIError) in try parseHeader(text, flags) }
        options.idle = flags.isSet("--idle")
        options.churn = flags.isSet("--churn")
        if options.idle && options.churn { throw flags.error("--idle and --churn cannot be combined") }
        options.caFile = flags.value("--ca")
        options.insecure = flags.isSet("--insecure")
        if options.insecure && options.caFile != nil { throw flags.error("--ca and --insecure cannot be combined") }
        options.workers = try flags.workers()
        options.sourceAddresses = try flags.integer("--source-addresses", in: 1...254) ?? options.sourceAddresses
        options.json = flags.isSet("--json")
        options.tlsResume = flags.isSet("--tls-resume")
        if options.tlsResume && !(options.churn && options.url.secure) {
            throw flags.error("--tls-resume applies only to --churn against a wss:// --url")
        }
        options.rate = try flags.integer("--rate", in: 1...10_000_000)
        if options.rate != nil && options.idle { throw flags.error("--rate does not apply to --idle") }
        options.watchedPIDs = try parsePIDs(flags)
        options.deflate = flags.isSet("--deflate")
        if let text = flags.value("--payload") {
            guard let kind = BenchPayloadKind(rawValue: text) else {
                throw flags.error("--payload: expected binary or text, got \"\(text)\"")
            }
            options.payload = kind
        }
        if options.payload == .text && options.messageSize < BenchPayload.minimumTextSize {
            throw flags.error("--payload text needs --size of at least \(BenchPayload.minimumTextSize) bytes")
        }
        return .bench(options)
    }

    /// `--watch-pids`: a comma-separated list of process ids.
    private static func parsePIDs(_ flags: ScannedFlags) throws(CLIError) -> [Int32] {
        guard let text = flags.value("--watch-pids") else { return [] }
        var pids: [Int32] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty, item.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let pid = Int32(item), pid > 0 else {
                throw flags.error("--watch-pids: expected process ids separated by commas, got \"\(text)\"")
            }
            pids.append(pid)
        }
        return pids
    }

    /// `Name: value` with an RFC 9110 token as name and no line breaks in the value.
    private static func parseHeader(_ text: String, _ flags: ScannedFlags) throws(CLIError) -> BenchHeader {
        guard let colon = text.firstIndex(of: ":") else { throw flags.error("--header: expected 'Name: value', got \"\(text)\"") }
        let name = text[..<colon]
        let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        let tokenSymbols = "!#$%&'*+-.^_`|~".utf8
        let validName = !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || tokenSymbols.contains(byte)
        }
        guard validName else { throw flags.error("--header: invalid header name \"\(name)\"") }
        guard !value.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) else {
            throw flags.error("--header: control characters in the value of \(name)")
        }
        var trimmed = value
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return BenchHeader(name: String(name), value: String(trimmed))
    }
}
