import Testing

extension Integration {
    /// Every way an opening handshake is refused, with the status (and headers) the client gets, and the
    /// connection closed after the response.
    @Suite struct HandshakeRejections {
        struct Case: Sendable, CustomTestStringConvertible {
            var name: String
            var request: String
            var status: Int
            var header: (name: String, value: String)? = nil
            var testDescription: String { name }
        }

        static let key = "dGhlIHNhbXBsZSBub25jZQ=="
        static let valid = UpgradeRequestText.make(path: "/echo", key: key)

        /// The valid request with its header lines changed by `edit`.
        static func request(method: String = "GET", path: String = "/echo", _ edit: (inout [String]) -> Void = { _ in })
            -> String {
            var lines = ["Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade",
                         "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13"]
            edit(&lines)
            return "\(method) \(path) HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        }

        static let cases: [Case] = [
            Case(name: "malformed request line", request: "NOT AN HTTP REQUEST\r\n\r\n", status: 400),
            Case(name: "bare LF line endings", request: valid.replacingOccurrences(of: "\r\n", with: "\n"), status: 400),
            Case(name: "obs-fold continuation line", request: request { $0.insert("X-Folded: a", at: 1); $0.insert(" b", at: 2) },
                 status: 400),
            Case(name: "duplicate Host", request: request { $0.append("Host: other.example") }, status: 400),
            Case(name: "request line over 8 KiB", request: request(path: "/echo?" + String(repeating: "a", count: 8_300)),
                 status: 414),
            Case(name: "head over 16 KiB",
                 request: request { lines in
                     for i in 0..<20 { lines.append("X-Filler-\(i): " + String(repeating: "f", count: 900)) }
                 }, status: 431),
            Case(name: "more than 100 header fields",
                 request: request { lines in for i in 0..<100 { lines.append("X-Many-\(i): v") } }, status: 431),
            Case(name: "POST instead of GET", request: request(method: "POST"), status: 405, header: ("Allow", "GET")),
            Case(name: "missing Upgrade", request: request { $0.removeAll { $0.hasPrefix("Upgrade:") } }, status: 426,
                 header: ("Upgrade", "websocket")),
            Case(name: "WebSocket version 8",
                 request: request { $0[$0.firstIndex { $0.hasPrefix("Sec-WebSocket-Version") }!] = "Sec-WebSocket-Version: 8" },
                 status: 426, header: ("Sec-WebSocket-Version", "13")),
            Case(name: "key of the wrong length",
                 request: request { $0[$0.firstIndex { $0.hasPrefix("Sec-WebSocket-Key") }!] = "Sec-WebSocket-Key: c2hvcnQ=" },
                 status: 400),
            Case(name: "missing key", request: request { $0.removeAll { $0.hasPrefix("Sec-WebSocket-Key") } }, status: 400),
            Case(name: "unknown path", request: request(path: "/nowhere"), status: 404),
        ]

        @Test("refused with the right status", arguments: cases)
        func rejected(_ testCase: Case) throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            try socket.send(testCase.request)
            let response = try HTTPResponse.read(from: socket, readBody: true)
            #expect(response.status == testCase.status, "\(response)")
            if let header = testCase.header {
                #expect(response.header(header.name) == header.value, "\(response)")
            }
            #expect(!response.body.isEmpty, "an error response should say why")
            #expect(try socket.waitForEnd(timeout: 5), "the gateway should close after refusing")
        }

        @Test("a refused client's pipelined bytes do not destroy the response")
        func responseSurvivesUnreadBytes() throws {
            let gateway = try TestGateway()
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.port)
            let junk = String(repeating: "x", count: 200_000)
            try socket.send(Self.request(path: "/nowhere") + junk)
            let response = try HTTPResponse.read(from: socket, readBody: true)
            #expect(response.status == 404)
        }
    }
}
