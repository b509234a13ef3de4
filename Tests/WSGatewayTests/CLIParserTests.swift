import Testing
import WSGateway

/// The error `arguments` are rejected with, or nil after recording an issue when they parse.
func cliRejection(_ arguments: [String]) -> CLIError? {
    do {
        let command = try CommandLineParser.parse(arguments)
        Issue.record("accepted \(arguments) as \(command)")
        return nil
    } catch {
        return error
    }
}

@Suite struct CLIParserTests {
    @Test func noArgumentsRunsTheDefaultConfiguration() throws {
        #expect(try CommandLineParser.parse([]) == .runDefault)
    }

    @Test func parsesRunAndCheckInBothFlagForms() throws {
        #expect(try CommandLineParser.parse(["run", "--config", "gw.json"]) == .run(configPath: "gw.json", workers: nil))
        #expect(try CommandLineParser.parse(["run", "--config=gw.json", "--workers=4"]) == .run(configPath: "gw.json", workers: 4))
        #expect(try CommandLineParser.parse(["run", "--workers", "0", "--config", "a=b.json"])
            == .run(configPath: "a=b.json", workers: 0))
        #expect(try CommandLineParser.parse(["check", "--config", "conf/example.json"])
            == .check(configPath: "conf/example.json"))
        #expect(try CommandLineParser.parse(["check", "--config=x.json"]) == .check(configPath: "x.json"))
    }

    @Test func parsesVersion() throws {
        #expect(try CommandLineParser.parse(["version"]) == .version)
        #expect(try CommandLineParser.parse(["--version"]) == .version)
    }

    @Test func parsesEcho() throws {
        #expect(try CommandLineParser.parse(["echo", "--listen", "127.0.0.1:8081"])
            == .echo(EchoOptions(listen: SocketAddressSpec(host: "127.0.0.1", port: 8081))))
        let tls = TLSCertificateSpec(cert: "c.pem", key: "k.pem", serverNames: [])
        #expect(try CommandLineParser.parse(
            ["echo", "--listen=[::1]:9001", "--workers=2", "--tls-cert", "c.pem", "--tls-key=k.pem"])
            == .echo(EchoOptions(listen: SocketAddressSpec(host: "::1", port: 9001), workers: 2, tls: tls)))
    }

    @Test func parsesProxy() throws {
        let command = try CommandLineParser.parse(
            ["proxy", "--from", "0.0.0.0:8080", "--to=wss://backend:9443/ws", "--path-prefix", "/api", "--workers", "3",
             "--tls-cert=c.pem", "--tls-key", "k.pem"])
        var expected = ProxyOptions(
            from: SocketAddressSpec(host: "0.0.0.0", port: 8080),
            to: UpstreamURL(secure: true, host: "backend", port: 9443, path: "/ws"))
        expected.pathPrefix = "/api"
        expected.workers = 3
        expected.tls = TLSCertificateSpec(cert: "c.pem", key: "k.pem", serverNames: [])
        #expect(command == .proxy(expected))
        let minimal = try CommandLineParser.parse(["proxy", "--from=127.0.0.1:1", "--to=ws://127.0.0.1:2"])
        guard case .proxy(let options) = minimal else { Issue.record("not proxy: \(minimal)"); return }
        #expect(options.pathPrefix == "/")
        #expect(options.tls == nil)
        #expect(options.workers == nil)
    }

    @Test func parsesBenchDefaults() throws {
        let command = try CommandLineParser.parse(["bench", "--url", "ws://127.0.0.1:8080/echo"])
        let expected = BenchOptions(url: UpstreamURL(secure: false, host: "127.0.0.1", port: 8080, path: "/echo"))
        #expect(command == .bench(expected))
        #expect(expected.connections == 100 && expected.messageSize == 64 && expected.depth == 1)
        #expect(expected.duration == 10_000 && expected.warmup == 1_000 && expected.sourceAddresses == 1)
        #expect(!expected.idle && !expected.churn && !expected.insecure && !expected.json)
        #expect(expected.caFile == nil && expected.workers == nil && expected.headers.isEmpty)
    }

    @Test func parsesEveryBenchFlag() throws {
        let command = try CommandLineParser.parse([
            "bench", "--url=wss://gw:8443/echo", "--conns", "5000", "--size=16384", "--depth", "16", "--duration=2.5",
            "--header", "Authorization: Bearer abc", "--header=X-Trace:  1 ", "--churn", "--ca", "certs/ca.pem",
            "--workers=2", "--source-addresses", "8", "--json", "--warmup", "0",
        ])
        var expected = BenchOptions(url: UpstreamURL(secure: true, host: "gw", port: 8443, path: "/echo"))
        expected.connections = 5000
        expected.messageSize = 16384
        expected.depth = 16
        expected.duration = 2_500
        expected.headers = [BenchHeader(name: "Authorization", value: "Bearer abc"), BenchHeader(name: "X-Trace", value: "1")]
        expected.churn = true
        expected.caFile = "certs/ca.pem"
        expected.workers = 2
        expected.sourceAddresses = 8
        expected.json = true
        expected.warmup = 0
        #expect(command == .bench(expected))

        let idle = try CommandLineParser.parse(["bench", "--url", "wss://gw", "--idle", "--insecure"])
        guard case .bench(let options) = idle else { Issue.record("not bench: \(idle)"); return }
        #expect(options.idle && options.insecure && !options.churn)
    }

    @Test func everyHelpFlagGivesThatCommandsUsage() throws {
        #expect(try CommandLineParser.parse(["--help"]) == .help(CommandLineParser.usage))
        #expect(try CommandLineParser.parse(["-h"]) == .help(CommandLineParser.usage))
        #expect(try CommandLineParser.parse(["help"]) == .help(CommandLineParser.usage))
        for name in ["run", "check", "proxy", "echo", "bench"] {
            #expect(CommandLineParser.usage.contains("\n  \(name) "), "general usage lists \(name)")
        }
        for name in ["run", "check", "proxy", "echo", "bench", "version"] {
            let viaFlag = try CommandLineParser.parse([name, "--help"])
            guard case .help(let text) = viaFlag else { Issue.record("\(name) --help gave \(viaFlag)"); continue }
            #expect(text.hasPrefix("usage: wsgate \(name)"))
            #expect(try CommandLineParser.parse([name, "-h"]) == viaFlag)
            #expect(try CommandLineParser.parse(["help", name]) == viaFlag)
        }
        // Help wins over errors elsewhere on the line, so a user can always get usage.
        guard case .help(let text) = try CommandLineParser.parse(["bench", "--conns", "5", "--help"]) else {
            Issue.record("bench --help not honoured after other flags"); return
        }
        #expect(text.contains("--source-addresses"))
    }

    @Test func benchUsageMentionsEveryFlag() throws {
        guard case .help(let text) = try CommandLineParser.parse(["bench", "--help"]) else { return }
        for flag in ["--url", "--conns", "--size", "--depth", "--duration", "--header", "--idle", "--churn", "--ca",
                     "--insecure", "--workers", "--source-addresses", "--json", "--warmup"] {
            #expect(text.contains(flag), "bench usage lacks \(flag)")
        }
    }

    static let errorCases: [(arguments: [String], message: String)] = [
        (["serve"], "unknown command \"serve\""),
        (["--config", "x"], "unknown option \"--config\""),
        (["run"], "run needs --config"),
        (["run", "--config"], "--config needs a value"),
        (["run", "--config="], "--config needs a value"),
        (["run", "--config", "--workers", "2"], "--config needs a value"),
        (["run", "--config", "a", "--bogus", "1"], "unknown flag --bogus for run"),
        (["run", "--config", "a", "--bogus=1"], "unknown flag --bogus for run"),
        (["run", "--config", "a", "extra"], "unexpected argument \"extra\" for run"),
        (["run", "--config", "a", "--config", "b"], "--config given more than once"),
        (["run", "--config", "a", "--workers", "x"], "--workers: expected a whole number, got \"x\""),
        (["run", "--config", "a", "--workers", "-1"], "--workers: expected a whole number, got \"-1\""),
        (["run", "--config", "a", "--workers=257"], "--workers must be between 0 and 256, got 257"),
        (["check"], "check needs --config"),
        (["check", "--config", "a", "--workers", "2"], "unknown flag --workers for check"),
        (["version", "--json"], "unknown flag --json for version"),
        (["echo"], "echo needs --listen"),
        (["echo", "--listen", "8080"], "--listen: invalid address \"8080\""),
        (["echo", "--listen", "127.0.0.1:1", "--tls-cert", "c"], "--tls-cert needs --tls-key"),
        (["echo", "--listen", "127.0.0.1:1", "--tls-key", "k"], "--tls-key needs --tls-cert"),
        (["proxy", "--to", "ws://a"], "proxy needs --from"),
        (["proxy", "--from", "127.0.0.1:1"], "proxy needs --to"),
        (["proxy", "--from", "127.0.0.1:1", "--to", "http://a"], "--to: invalid upstream URL"),
        (["proxy", "--from", "127.0.0.1:1", "--to", "ws://a", "--path-prefix", "api"], "--path-prefix: must start with"),
        (["proxy", "--from", "127.0.0.1:1", "--to", "ws://a", "--tls-key", "k"], "--tls-key needs --tls-cert"),
        (["bench"], "bench needs --url"),
        (["bench", "--url", "ws://a", "--conns", "0"], "--conns must be between 1 and 1000000"),
        (["bench", "--url", "ws://a", "--size", "1k"], "--size: expected a whole number"),
        (["bench", "--url", "ws://a", "--depth", "0"], "--depth must be between 1"),
        (["bench", "--url", "ws://a", "--duration", "0"], "--duration must be at least 0.001 seconds"),
        (["bench", "--url", "ws://a", "--duration", "1e3"], "--duration: expected a number of seconds"),
        (["bench", "--url", "ws://a", "--warmup", "-1"], "--warmup: expected a number of seconds"),
        (["bench", "--url", "ws://a", "--warmup=-1"], "--warmup: expected a number of seconds"),
        (["bench", "--url", "ws://a", "--idle=yes"], "--idle takes no value"),
        (["bench", "--url", "ws://a", "--idle", "--idle"], "--idle given more than once"),
        (["bench", "--url", "ws://a", "--idle", "--churn"], "--idle and --churn cannot be combined"),
        (["bench", "--url", "wss://a", "--ca", "c", "--insecure"], "--ca and --insecure cannot be combined"),
        (["bench", "--url", "ws://a", "--header", "NoColon"], "--header: expected 'Name: value'"),
        (["bench", "--url", "ws://a", "--header", "Bad Name: v"], "--header: invalid header name"),
        (["bench", "--url", "ws://a", "--header", "X: a\r\nY: b"], "--header: control characters"),
        (["bench", "--url", "ws://a", "--source-addresses", "255"], "--source-addresses must be between 1 and 254"),
        (["bench", "--url", "ws://a/?q"], "--url: invalid upstream URL \"ws://a/?q\": a query is not allowed"),
    ]

    @Test(arguments: errorCases)
    func rejectsBadCommandLine(arguments: [String], message: String) {
        let error = cliRejection(arguments)
        #expect(error?.message.contains(message) == true, "\(arguments): \(String(describing: error?.message))")
    }

    @Test func errorsCarryTheSubcommandUsage() {
        #expect(cliRejection(["bench", "--bogus"])?.usage.hasPrefix("usage: wsgate bench") == true)
        #expect(cliRejection(["nope"])?.usage == CommandLineParser.usage)
        let error = CLIError(message: "bad", usage: "usage: x")
        #expect(error.description == "wsgate: bad\n\nusage: x")
    }
}
