import Foundation
import Testing
import WSGateway

/// Health, readiness, authentication and the documents the admin listener serves.
extension Integration {
    @Suite struct AdminEndpointTests {
        @Test func readinessTurnsTo503OnceShutdownBegins() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            #expect(try gateway.get("/healthz").bodyText == "ok\n")
            let ready = try gateway.get("/readyz")
            #expect(ready.status == 200)
            #expect(try gateway.scrape().value("wsgate_ready") == 1)

            gateway.gateway.server.beginShutdown()
            #expect(gateway.gateway.server.isShuttingDown)
            #expect(try gateway.get("/readyz").status == 503)
            #expect(try gateway.get("/healthz").status == 200)
            #expect(try gateway.scrape().value("wsgate_ready") == 0)
        }

        @Test func aTokenGuardsEverythingButHealthAndReadiness() throws {
            let token = try TemporaryTokenFile()
            let gateway = try AdminTestGateway(tokenFile: token.path)
            defer { gateway.stop() }
            for path in ["/metrics", "/status", "/", "/nothing-here"] {
                let refused = try gateway.get(path)
                #expect(refused.status == 401, "\(path)")
                #expect(refused.values("WWW-Authenticate").contains { $0.hasPrefix("Basic ") })
                #expect(try gateway.get(path, headers: [("Authorization", "Bearer wrong-token-0123456789")]).status == 401)
            }
            #expect(try gateway.get("/healthz").status == 200)
            #expect(try gateway.get("/readyz").status == 200)
            let bearer = [("Authorization", "Bearer \(token.token)")]
            #expect(try gateway.scrape(headers: bearer).value("wsgate_ready") == 1)
            #expect(try gateway.get("/nothing-here", headers: bearer).status == 404)
            let basic = Data("anyone:\(token.token)".utf8).base64EncodedString()
            #expect(try gateway.get("/status", headers: [("Authorization", "Basic \(basic)")]).status == 200)
            let wrongBasic = Data("anyone:not-the-token-at-all".utf8).base64EncodedString()
            #expect(try gateway.get("/status", headers: [("Authorization", "Basic \(wrongBasic)")]).status == 401)
        }

        @Test func onlyGETIsServedAndOversizedRequestsAreRefused() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            let post = try AdminHTTP.get(port: gateway.adminPort, path: "/metrics", method: "DELETE")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET")
            let long = try gateway.get("/" + String(repeating: "a", count: 3_000))
            #expect(long.status == 414)
            let many = try gateway.get("/status", headers: (0..<60).map { ("X-Filler-\($0)", "y") })
            #expect(many.status == 431)
        }

        @Test func aSilentAdminClientIsDisconnected() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            let socket = try TestSocket.connect(port: gateway.adminPort)
            try socket.send("GET /status HTTP/1.1\r\n")
            #expect(try socket.waitForEnd(timeout: 8))
        }

        @Test func statusJSONDescribesListenersRoutesAndLoops() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            let connection = try WSTestConnection.open(port: gateway.port)
            try connection.sendText("hello")
            _ = try connection.readMessage()

            let response = try gateway.get("/status")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(document["version"] as? String == WSGateVersion.string)
            #expect(document["ready"] as? Bool == true)
            #expect(document["workers"] as? Int == 2)
            let listeners = try #require(document["listeners"] as? [[String: Any]])
            #expect(listeners.map { $0["name"] as? String } == ["ws"])
            #expect(listeners.first?["address"] as? String == "127.0.0.1:\(gateway.port)")
            let routes = try #require(document["routes"] as? [[String: Any]])
            let echo = try #require(routes.first { $0["name"] as? String == "echo" })
            #expect(echo["connections"] as? Int == 1)
            #expect(echo["path_prefix"] as? String == "/echo")
            #expect(echo["upstream_health"] as? String == "reachable")
            #expect((echo["upstream"] as? String)?.hasPrefix("ws://127.0.0.1:") == true)
            let loops = try #require(document["loops"] as? [[String: Any]])
            #expect(loops.count == 2)
            #expect(loops.allSatisfy { $0["answered"] as? Bool == true })
            let totals = try #require(document["totals"] as? [String: Any])
            #expect(totals["relayed_connections"] as? Int == 1)
            #expect((totals["messages"] as? [String: Any])?["client_to_upstream"] as? Int == 1)
        }

        @Test func theStatusPageIsOneSelfContainedDocument() throws {
            let gateway = try AdminTestGateway()
            defer { gateway.stop() }
            let page = try gateway.get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            let html = page.bodyText
            #expect(html.contains("<meta name=\"viewport\""))
            #expect(html.contains("fetch(\"status\""))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\""))
        }
    }
}

extension Integration.AdminEndpointTests {
    @Test func aLoopThatDoesNotAnswerIsReportedAndItsLastCountsStand() throws {
        let gateway = try AdminTestGateway()
        defer { gateway.stop() }
        let connection = try WSTestConnection.open(port: gateway.port)
        for _ in 0..<5 {
            try connection.sendText("ping")
            _ = try connection.readMessage()
        }
        let before = try gateway.scrape()
        #expect(before.value("wsgate_messages_total", ["direction": "client_to_upstream"]) == 5)
        // Loop 1 busy for longer than the scrape timeout.
        gateway.gateway.group.loops[1].execute { _ in usleep(1_600_000) }
        let stalled = try gateway.scrape()
        #expect(stalled.value("wsgate_loop_up", ["loop": "0"]) == 1)
        #expect(stalled.value("wsgate_loop_up", ["loop": "1"]) == 0)
        #expect(stalled.value("wsgate_messages_total", ["direction": "client_to_upstream"]) == 5)
        usleep(700_000)
        #expect(try gateway.scrape().value("wsgate_loop_up", ["loop": "1"]) == 1)
    }
}

/// The exposition parser the metrics tests rely on refuses what Prometheus would.
@Suite struct AdminExpositionParserTests {
    @Test func malformedExpositionsAreRefused() {
        let header = "# HELP a_total A.\n# TYPE a_total counter\n"
        let bad = [
            "a_total 1\n",                                         // no HELP/TYPE
            header + "a_total 1\na_total 2\n",                     // duplicate series
            header + "a_total{x=\"1\",x=\"2\"} 1\n",               // label twice
            header + "a_total{x=1} 1\n",                           // unquoted value
            header + "a_total one\n",                              // not a number
            header + "a_total 1",                                  // no final line feed
            header + "a_total 1\n# TYPE a_total counter\n",        // TYPE after samples
            "# HELP b B.\n# TYPE b counter\nb 1\n",                 // counter without _total
        ]
        for text in bad {
            #expect(throws: PrometheusExposition.ParseError.self, "\(text)") { try PrometheusExposition(parsing: text) }
        }
    }

    @Test func aWellFormedExpositionParses() throws {
        let text = """
            # HELP a_total A with \\\\ and \\n.
            # TYPE a_total counter
            a_total{route="x",code="1000"} 3
            a_total{route="y\\"q",code="none"} 4
            # HELP h Latency.
            # TYPE h histogram
            h_bucket{le="0.1"} 1
            h_bucket{le="+Inf"} 2
            h_sum 0.35
            h_count 2

            """
        let parsed = try PrometheusExposition(parsing: text)
        #expect(parsed.value("a_total", ["route": "x", "code": "1000"]) == 3)
        #expect(parsed.value("a_total", ["route": "y\"q", "code": "none"]) == 4)
        #expect(parsed.value("h_bucket", ["le": "+Inf"]) == 2)
        #expect(parsed.value("h_sum") == 0.35)
    }
}
