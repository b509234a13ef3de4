import Testing

extension Integration {
    /// The origin allow-list at the upgrade.
    @Suite struct EdgeOrigin {
        @Test("Allowed origins (exact and *.subdomain) get 101; another, a bare parent domain, null and none get 403")
        func allowList() throws {
            let gateway = try PolicyGateway { echoPort in
                """
                {"listeners": [{"name": "main", "address": "127.0.0.1:1"}],
                 "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": "ws://127.0.0.1:\(echoPort)/",
                             "allowed_origins": ["https://app.example.com", "https://*.example.org"]}]}
                """
            }
            defer { gateway.stop() }
            for origin in ["https://app.example.com", "HTTPS://App.Example.com:443", "https://chat.example.org"] {
                let client = try WSTestConnection.open(port: gateway.port, headers: [("Origin", origin)])
                try client.sendText(origin)
                #expect(try client.readMessage().text == origin)
                #expect(try client.closeHandshake().closeCode == 1000)
            }
            let refused: [[(String, String)]] = [
                [("Origin", "https://evil.example.com")], [("Origin", "http://app.example.com")],
                [("Origin", "https://example.org")], [("Origin", "null")], [],
            ]
            for headers in refused {
                let response = try WSTestConnection.attempt(port: gateway.port, path: "/echo", headers: headers).1
                #expect(response.status == 403, "\(headers): \(response)")
            }
        }
    }
}
