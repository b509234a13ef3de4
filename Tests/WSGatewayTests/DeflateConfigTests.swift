import Testing
import WSGateway

@Suite struct DeflateConfigTests {
    @Test func routesDefaultToOffAndTakeEachMode() throws {
        #expect(try parseConfig(configDocument()).routes[0].policy.deflate == .off)
        #expect(try parseConfig(configDocument()).maxCompressedConnections == 0)
        for mode in DeflateMode.allCases {
            let config = try parseConfig(configDocument(route: #""deflate": "\#(mode.rawValue)""#,
                                                        extra: #""max_compressed_connections": 50"#))
            #expect(config.routes[0].policy.deflate == mode)
            #expect(config.maxCompressedConnections == 50)
        }
        let inherited = try parseConfig(configDocument(extra: #""defaults": {"deflate": "terminate"}"#))
        #expect(inherited.routes[0].policy.deflate == .terminate)
    }

    @Test func booleansMeanTerminateAndOff() throws {
        #expect(try parseConfig(configDocument(route: #""deflate": true"#)).routes[0].policy.deflate == .terminate)
        #expect(try parseConfig(configDocument(route: #""deflate": false"#)).routes[0].policy.deflate == .off)
        let inherited = try parseConfig(configDocument(extra: #""defaults": {"deflate": true}"#))
        #expect(inherited.routes[0].policy.deflate == .terminate)
        let overridden = try parseConfig(configDocument(route: #""deflate": false"#, extra: #""defaults": {"deflate": true}"#))
        #expect(overridden.routes[0].policy.deflate == .off)
    }

    @Test func theCompressionLevelDefaultsToOneAndIsInheritedAndChecked() throws {
        #expect(try parseConfig(configDocument()).routes[0].policy.deflateLevel == 1)
        #expect(try parseConfig(configDocument(route: #""deflate_level": 9"#)).routes[0].policy.deflateLevel == 9)
        let inherited = try parseConfig(configDocument(extra: #""defaults": {"deflate": true, "deflate_level": 6}"#))
        #expect(inherited.routes[0].policy.deflateLevel == 6)
        #expect(configRejection(configDocument(route: #""deflate_level": 0"#))?.keyPath == "routes[0].deflate_level")
        #expect(configRejection(configDocument(route: #""deflate_level": 10"#))?.keyPath == "routes[0].deflate_level")
        #expect(configRejection(configDocument(extra: #""defaults": {"deflate_level": "fast"}"#))?.keyPath
            == "defaults.deflate_level")
    }

    @Test func badValuesAreRejectedAtTheirKey() {
        #expect(configRejection(configDocument(route: #""deflate": "on""#))?.keyPath == "routes[0].deflate")
        let number = configRejection(configDocument(route: #""deflate": 1"#))
        #expect(number?.keyPath == "routes[0].deflate")
        #expect(number?.message.contains("a boolean or a string") == true)
        #expect(configRejection(configDocument(extra: #""defaults": {"deflate": null}"#))?.keyPath == "defaults.deflate")
        #expect(configRejection(configDocument(extra: #""max_compressed_connections": -1"#))?.keyPath == "max_compressed_connections")
    }

    @Test func proxyTakesTheDeflateFlag() throws {
        let base = ["proxy", "--from", "127.0.0.1:8080", "--to", "ws://127.0.0.1:9000/"]
        guard case .proxy(let options) = try CommandLineParser.parse(base + ["--deflate", "pass-through"]) else {
            Issue.record("not a proxy command")
            return
        }
        #expect(try options.makeConfig().routes[0].policy.deflate == .passThrough)
        #expect(throws: CLIError.self) { try CommandLineParser.parse(base + ["--deflate", "yes"]) }
    }
}
