import Testing

extension Integration {
    /// Who the client is behind a load balancer: PROXY protocol v1/v2 and X-Forwarded-For, believed only
    /// from trusted proxies.
    @Suite struct EdgeProxyProtocol {
        /// Listeners `pp` and `xff` trust 127.0.0.1; `pp-untrusted` and `xff-untrusted` trust only 10.0.0.0/8.
        static func gateway(upstream: RecordingUpstream, limits: String = "{}") throws -> PolicyGateway {
            try PolicyGateway { _ in
                """
                {"limits": \(limits),
                 "listeners": [
                   {"name": "pp", "address": "127.0.0.1:1", "proxy_protocol": true, "trusted_proxies": ["127.0.0.1/32"]},
                   {"name": "pp-untrusted", "address": "127.0.0.1:2", "proxy_protocol": true, "trusted_proxies": ["10.0.0.0/8"]},
                   {"name": "xff", "address": "127.0.0.1:3", "real_ip_header": "X-Forwarded-For", "trusted_proxies": ["127.0.0.1"]},
                   {"name": "xff-untrusted", "address": "127.0.0.1:4", "real_ip_header": "X-Forwarded-For",
                    "trusted_proxies": ["10.0.0.0/8"]}],
                 "routes": [{"name": "r", "upstream": "ws://127.0.0.1:\(upstream.port)/"}]}
                """
            }
        }

        /// Connects to `port`, sends `preamble` and an upgrade request in one write, and reads the answer.
        static func upgrade(port: UInt16, preamble: [UInt8], headers: [(String, String)] = []) throws -> (WSTestConnection, HTTPResponse) {
            let socket = try TestSocket.connect(port: port)
            try socket.send(preamble + Array(UpgradeRequestText.make(path: "/", key: UpgradeRequestText.newKey(),
                                                                    extraHeaders: headers).utf8))
            let response = try HTTPResponse.read(from: socket, readBody: true)
            return (WSTestConnection(socket: socket, isClient: true, response: response), response)
        }

        /// Whether the connection ends without the gateway sending a single byte.
        static func closedWithoutAnswer(port: UInt16, preamble: [UInt8]) throws -> Bool {
            let socket = try TestSocket.connect(port: port)
            try? socket.send(preamble + Array(UpgradeRequestText.make(path: "/", key: UpgradeRequestText.newKey()).utf8))
            return try socket.hasInput(within: 3) && socket.bufferedCount == 0 && socket.reachedEOF
        }

        static func v1(_ source: String, port: Int = 51_234) -> [UInt8] {
            let family = source.contains(":") ? "TCP6" : "TCP4"
            let destination = source.contains(":") ? "::1" : "127.0.0.1"
            return Array("PROXY \(family) \(source) \(destination) \(port) 443\r\n".utf8)
        }

        static func v2IPv4(_ source: [UInt8]) -> [UInt8] {
            proxyV2(family: 0x11, body: source + [127, 0, 0, 1, 0xC8, 0x32, 0x01, 0xBB])
        }

        @Test("PROXY v1 (TCP4, TCP6) and v2 (IPv4, IPv6, LOCAL) from a trusted peer set X-Real-IP upstream")
        func proxyHeadersTrusted() throws {
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(upstream: upstream)
            defer { gateway.stop() }
            let ipv6Source: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [5]
            let cases: [(String, [UInt8], String)] = [
                ("v1 TCP4", Self.v1("203.0.113.7"), "203.0.113.7"),
                ("v1 TCP6", Self.v1("2001:db8::7"), "2001:db8::7"),
                ("v2 IPv4", Self.v2IPv4([198, 51, 100, 9]), "198.51.100.9"),
                ("v2 IPv6", proxyV2(family: 0x21, body: ipv6Source + [UInt8](repeating: 0, count: 15) + [1, 0xC8, 0x32, 0x01, 0xBB]),
                 "2001:db8::5"),
                ("v2 LOCAL", proxyV2(command: 0x20, family: 0x00, body: []), "127.0.0.1"),
            ]
            for (name, preamble, expected) in cases {
                let (client, response) = try Self.upgrade(port: gateway.ports["pp"]!, preamble: preamble)
                #expect(response.status == 101, "\(name): \(response)")
                let request = try #require(upstream.requests.take(timeout: 5), "\(name)")
                #expect(request.header("X-Real-IP") == expected, "\(name)")
                #expect(request.header("X-Forwarded-For") == expected, "\(name)")
                try client.sendText(name)
                #expect(try client.readMessage().text == name)
                #expect(try client.closeHandshake().closeCode == 1000)
            }
        }

        @Test("PROXY listener: an untrusted peer, a malformed header or no header is closed without an answer")
        func proxyHeadersRefused() throws {
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(upstream: upstream)
            defer { gateway.stop() }
            #expect(try Self.closedWithoutAnswer(port: gateway.ports["pp-untrusted"]!, preamble: Self.v1("203.0.113.7")))
            #expect(try Self.closedWithoutAnswer(port: gateway.ports["pp"]!, preamble: Array("PROXY TCP4 999.1.1.1 127.0.0.1 1 2\r\n".utf8)))
            #expect(try Self.closedWithoutAnswer(port: gateway.ports["pp"]!, preamble: []))
            #expect(upstream.requests.take(timeout: 0.2) == nil)
        }

        @Test("X-Forwarded-For names the client only when the peer is trusted: the rightmost untrusted entry")
        func forwardedFor() throws {
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(upstream: upstream)
            defer { gateway.stop() }
            let chain = [("X-Forwarded-For", "198.51.100.1, 192.0.2.44")]
            for (listener, expected) in [("xff", "192.0.2.44"), ("xff-untrusted", "127.0.0.1")] {
                let (client, response) = try Self.upgrade(port: gateway.ports[listener]!, preamble: [], headers: chain)
                #expect(response.status == 101, "\(listener): \(response)")
                let request = try #require(upstream.requests.take(timeout: 5))
                #expect(request.header("X-Real-IP") == expected, "\(listener)")
                #expect(request.header("X-Forwarded-For")?.hasPrefix("198.51.100.1, 192.0.2.44") == true, "\(listener)")
                #expect(try client.closeHandshake().closeCode == 1000)
            }
        }

        @Test("The per-IP limit counts the address from the PROXY header, not the proxy's")
        func perIPLimitByRealAddress() throws {
            let upstream = try RecordingUpstream()
            let gateway = try Self.gateway(upstream: upstream, limits: #"{"max_connections_per_ip": 1}"#)
            defer { gateway.stop() }
            let port = gateway.ports["pp"]!
            let first = try Self.upgrade(port: port, preamble: Self.v1("203.0.113.7"))
            let other = try Self.upgrade(port: port, preamble: Self.v1("203.0.113.8"))
            let again = try Self.upgrade(port: port, preamble: Self.v1("203.0.113.7", port: 40_000))
            #expect(first.1.status == 101 && other.1.status == 101, "\(first.1) \(other.1)")
            #expect(again.1.status == 503, "\(again.1)")
            #expect(again.1.bodyText.contains("(ip limit)"))
        }
    }
}
