import Testing
@testable import WSGateway

/// `wsgate proxy --token-file … --jwt-*`.
@Suite struct AuthCLITests {
    static let base = ["proxy", "--from", "127.0.0.1:8080", "--to", "ws://127.0.0.1:9000/"]

    func options(_ flags: [String]) throws -> ProxyOptions {
        let command = try CommandLineParser.parse(Self.base + flags)
        guard case .proxy(let options) = command else { throw CLIError(message: "not proxy", usage: "") }
        return options
    }

    @Test func noAuthFlagsMeansNoAuth() throws {
        #expect(try options([]).auth == nil)
    }

    @Test func mapsFlagsIntoTheRouteAuth() throws {
        let files = try AuthFiles()
        let parsed = try options([
            "--token-file", files.tokens, "--jwt-secret-file=\(files.secret)", "--jwt-public-key", files.rsaPEM,
            "--jwt-public-key", files.ecPEM, "--jwt-issuer", "https://issuer", "--jwt-audience=wsgate",
        ])
        let expected = AuthConfig(
            staticTokensFile: files.tokens,
            jwt: JWTConfig(hmacSecretFile: files.secret, publicKeyFiles: [files.rsaPEM, files.ecPEM],
                           issuer: "https://issuer", audience: "wsgate"))
        #expect(parsed.auth == expected)
        let config = try parsed.makeConfig()
        #expect(config.routes[0].policy.auth == expected)
        let authenticator = try files.authenticator(try #require(config.routes[0].policy.auth))
        #expect(bearerIdentity(authenticator, "alice-static-token") == "alice")
        #expect(bearerIdentity(authenticator, es256(claims(extra: #","iss":"https://issuer","aud":"wsgate""#))) == "alice")
    }

    @Test func tokenFileAlone() throws {
        let files = try AuthFiles()
        let config = try options(["--token-file=\(files.tokens)"]).makeConfig()
        #expect(config.routes[0].policy.auth == AuthConfig(staticTokensFile: files.tokens))
    }

    @Test func claimFlagsNeedAKey() {
        #expect(cliRejection(Self.base + ["--jwt-issuer", "x"])?.message == "--jwt-issuer needs --jwt-secret-file or --jwt-public-key")
        #expect(cliRejection(Self.base + ["--token-file", "t", "--jwt-audience", "x"])?.message
            == "--jwt-audience needs --jwt-secret-file or --jwt-public-key")
        #expect(cliRejection(Self.base + ["--token-file", "a", "--token-file", "b"])?.message == "--token-file given more than once")
    }

    @Test func fileProblemsAreReportedAtTheirFlag() throws {
        let files = try AuthFiles()
        let cases: [([String], String)] = [
            (["--token-file", "/nonexistent/tokens"], "--token-file"),
            (["--token-file", files.rsaPEM], "--token-file"),
            (["--jwt-secret-file", "/nonexistent/secret"], "--jwt-secret-file"),
            (["--jwt-public-key", files.rsaPEM, "--jwt-public-key", files.secret], "--jwt-public-key"),
        ]
        for (flags, flag) in cases {
            do {
                _ = try options(flags).makeConfig()
                Issue.record("accepted \(flags)")
            } catch let error as ConfigError {
                #expect(error.keyPath == flag, "\(flags): \(error)")
            }
        }
    }

    @Test func usageListsTheFlags() throws {
        let help = try CommandLineParser.parse(["proxy", "--help"])
        guard case .help(let text) = help else { Issue.record("no help"); return }
        for flag in ["--token-file", "--jwt-secret-file", "--jwt-public-key", "--jwt-issuer", "--jwt-audience"] {
            #expect(text.contains(flag))
        }
    }
}
