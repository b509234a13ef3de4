/// Typed reading of flag values; every error names its flag.
extension ScannedFlags {
    func required(_ name: String, for command: String) throws(CLIError) -> String {
        guard let text = value(name) else { throw error("\(command) needs \(name)") }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = Int(text) else {
            throw error("\(name): expected a whole number, got \"\(text)\"")
        }
        guard range.contains(number) else {
            throw error("\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    /// Seconds written as plain decimal (`10`, `0.5`), returned as whole milliseconds.
    func milliseconds(_ name: String, allowZero: Bool) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        let plainDecimal = text.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") }
        guard plainDecimal, let seconds = Double(text), seconds <= 86_400 else {
            throw error("\(name): expected a number of seconds up to 86400, got \"\(text)\"")
        }
        let milliseconds = Int(seconds * 1000 + 0.5)
        guard milliseconds > 0 || (allowZero && seconds == 0) else {
            throw error("\(name) must be at least 0.001 seconds")
        }
        return milliseconds
    }

    func requiredAddress(_ name: String, for command: String) throws(CLIError) -> SocketAddressSpec {
        let text = try required(name, for: command)
        do throws(ConfigError) {
            return try SocketAddressSpec(parsing: text)
        } catch {
            throw self.error("\(name): \(error.message)")
        }
    }

    func requiredURL(_ name: String, for command: String) throws(CLIError) -> UpstreamURL {
        let text = try required(name, for: command)
        do throws(ConfigError) {
            return try UpstreamURL(parsing: text)
        } catch {
            throw self.error("\(name): \(error.message)")
        }
    }

    /// `--tls-cert` and `--tls-key`, which must come together.
    func certificate() throws(CLIError) -> TLSCertificateSpec? {
        switch (value("--tls-cert"), value("--tls-key")) {
        case (nil, nil): return nil
        case (let cert?, let key?): return TLSCertificateSpec(cert: cert, key: key, serverNames: [])
        case (nil, _): throw error("--tls-key needs --tls-cert")
        case (_, nil): throw error("--tls-cert needs --tls-key")
        }
    }

    func workers() throws(CLIError) -> Int? {
        try integer("--workers", in: GatewayConfig.workersRange)
    }
}
