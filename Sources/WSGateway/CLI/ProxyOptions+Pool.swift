/// The upstream pool flags of `wsgate proxy`: `--to` more than once, `--balance`, `--health-check` and
/// `--upstream-ca`.
extension ProxyOptions {
    static let poolFlags: [FlagSpec] = [.value("--balance"), .value("--health-check"), .value("--upstream-ca")]

    /// Reads the pool flags; `--to` URLs are read by the parser.
    mutating func readPoolFlags(_ flags: ScannedFlags) throws(CLIError) {
        if let text = flags.value("--balance") {
            do throws(ConfigError) {
                balance = try BalancePolicy(parsing: text)
            } catch {
                throw flags.error("--balance: \(error.message)")
            }
        }
        if let text = flags.value("--health-check") {
            guard let check = Self.healthCheck(parsing: text) else {
                throw flags.error("--health-check: expected tcp, ws, ws:/PATH or http:/PATH, got \"\(text)\"")
            }
            healthCheck = check
        }
        upstreamCAFile = flags.value("--upstream-ca")
    }

    /// `tcp`, `ws`, `ws:/PATH` or `http:/PATH` (`http` alone checks `/`).
    static func healthCheck(parsing text: String) -> HealthCheckConfig? {
        let colon = text.firstIndex(of: ":")
        guard let kind = HealthCheckConfig.Kind(rawValue: String(text[..<(colon ?? text.endIndex)])) else { return nil }
        var check = HealthCheckConfig(kind: kind)
        if let colon {
            let path = String(text[text.index(after: colon)...])
            guard kind != .tcp, RequestPath.isValid(path) else { return nil }
            check.path = path
        }
        return check
    }

    /// The route's pool: every `--to`, checked like the `upstreams` of a file, errors at their flag.
    func makePool() throws(ConfigError) -> UpstreamPoolConfig {
        guard upstreams.count <= UpstreamPoolConfig.maximumMembers else {
            throw ConfigError(keyPath: "--to", message: "at most \(UpstreamPoolConfig.maximumMembers) upstreams")
        }
        var pool = UpstreamPoolConfig(members: [])
        for url in upstreams {
            let member = PoolMemberConfig(url: url)
            if pool.members.contains(where: { $0.name == member.name }) {
                throw ConfigError(keyPath: "--to", message: "upstream \(member.name) given twice")
            }
            if let first = pool.members.first, first.url.path != url.path {
                throw ConfigError(keyPath: "--to", message: "every upstream must have the same path (\(first.url.path))")
            }
            pool.members.append(member)
        }
        if let balance {
            if case .hash(.identity) = balance, auth == nil {
                throw ConfigError(keyPath: "--balance", message: "hash-identity needs --token-file or a JWT key flag")
            }
            pool.balance = balance
        }
        pool.healthCheck = healthCheck
        if let upstreamCAFile {
            guard upstreams.contains(where: \.secure) else {
                throw ConfigError(keyPath: "--upstream-ca", message: "only wss:// upstreams use a CA file")
            }
            try ConfigFiles.requireReadableFile(upstreamCAFile, at: "--upstream-ca")
            pool.caFile = upstreamCAFile
        }
        return pool
    }
}
