import Glibc
import Testing
import WSIO
@testable import WSGateway
import WSProtocol

/// Runs the bench engine against an in-process echo server on an ephemeral port.
@Suite(.serialized) struct BenchSmokeTests {
    /// An echo server on one loop of its own, on an ephemeral port.
    final class Echo {
        let group: EventLoopGroup
        let server: EchoServer
        let url: UpstreamURL

        init(deflate: Bool = false) throws {
            group = try EventLoopGroup(count: 1)
            server = EchoServer(address: SocketAddress(host: "127.0.0.1", port: 0)!, deflate: deflate)
            try server.attach(to: group)
            group.start()
            let port = try #require(server.boundAddress?.port)
            url = UpstreamURL(secure: false, host: "127.0.0.1", port: port, path: "/bench")
        }

        func stop() {
            group.stop()
            group.join()
        }
    }

    func options(_ url: UpstreamURL, _ adjust: (inout BenchOptions) -> Void) -> BenchOptions {
        var options = BenchOptions(url: url)
        options.connections = 4
        options.workers = 1
        options.duration = 1_000
        options.warmup = 200
        adjust(&options)
        return options
    }

    @Test func loadVerifiesEveryEchoAndMeasuresLatency() throws {
        let echo = try Echo()
        defer { echo.stop() }
        let url = echo.url
        for (size, depth) in [(64, 1), (7, 4), (16_384, 2)] {
            let report = try BenchEngine.run(options(url) { $0.messageSize = size; $0.depth = depth })
            #expect(report.messages > 0, "size \(size) depth \(depth)")
            #expect(report.errors.total == 0, "size \(size): \(report.errors) \(report.errorSamples)")
            #expect(report.latency.count == report.messages)
            #expect(report.latency.p50 > 0 && report.latency.p50 <= report.latency.p99)
            #expect(report.payloadBytes == report.messages * UInt64(size))
            #expect(report.connectionsUp == 4)
            #expect(BenchRunner.exitStatus(report) == 0)
        }
    }

    @Test func churnCompletesCloseHandshakes() throws {
        let echo = try Echo()
        defer { echo.stop() }
        let url = echo.url
        let report = try BenchEngine.run(options(url) { $0.churn = true })
        #expect(report.handshakes > 0)
        #expect(report.cycles > 0)
        #expect(report.errors.total == 0, "\(report.errors) \(report.errorSamples)")
        #expect(report.handshakeLatency.count == report.handshakes)
    }

    /// Unpaced, this echo completes thousands of cycles a second; `--rate 100` must hold the run to about
    /// a hundred (the bound allows for the cycles in flight at the window's edges).
    @Test func churnRatePacesTheCycles() throws {
        let echo = try Echo()
        defer { echo.stop() }
        let report = try BenchEngine.run(options(echo.url) {
            $0.churn = true
            $0.rate = 100
        })
        #expect(report.offeredRate == 100)
        #expect(report.errors.total == 0, "\(report.errors) \(report.errorSamples)")
        #expect(report.cycles >= 20 && report.cycles <= 130, "\(report.cycles) cycles in \(report.measuredSeconds) s")
        #expect(report.json.contains(#""offered_rate":100"#))
    }

    /// Unpaced, this echo returns tens of thousands of messages a second; `--rate 300` over 4 connections
    /// with room for 1 or 2 in flight each must send about 300, each verified and timed, whether one loop
    /// paces them all or two loops half each. One connection alone has room for the whole rate, so turns
    /// never go unused for want of a free connection.
    @Test func messageRatePacesTheLoad() throws {
        let echo = try Echo()
        defer { echo.stop() }
        for (depth, workers) in [(1, 1), (2, 1), (1, 2)] {
            let report = try BenchEngine.run(options(echo.url) {
                $0.rate = 300
                $0.depth = depth
                $0.workers = workers
            })
            #expect(report.offeredRate == 300)
            #expect(report.workers == workers)
            #expect(report.errors.total == 0, "\(report.errors) \(report.errorSamples)")
            #expect(report.messages >= 150 && report.messages <= 330,
                    "depth \(depth), \(workers) loops: \(report.messages) messages in \(report.measuredSeconds) s")
            #expect(report.latency.count == report.messages)
            #expect(report.text.contains("300 messages/s offered"))
        }
    }

    @Test func idleHoldsEveryConnectionAndWatchesItsOwnProcess() throws {
        let echo = try Echo()
        defer { echo.stop() }
        let url = echo.url
        let report = try BenchEngine.run(options(url) {
            $0.idle = true
            $0.connections = 300
            $0.duration = 300
            $0.watchedPIDs = [getpid()]
        })
        #expect(report.connectionsUp == 300)
        #expect(report.secondsToAllUp != nil)
        #expect(report.messages == 0)
        #expect(report.errors.total == 0, "\(report.errors) \(report.errorSamples)")
        let watched = try #require(report.watched)
        #expect(watched.missing.isEmpty)
        #expect(watched.rssKiBHeld > 0 && watched.pssKiBHeld > 0)
    }

    @Test func refusedConnectionsAreCountedNotFatal() throws {
        // A port nobody listens on: bind one, note it, close it.
        let fd = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!)
        let port = Socket.localAddress(fd).port
        close(fd)
        let url = UpstreamURL(secure: false, host: "127.0.0.1", port: port, path: "/")
        let report = try BenchEngine.run(options(url) { $0.duration = 300; $0.warmup = 0; $0.connections = 2 })
        #expect(report.messages == 0)
        #expect(report.errors.connect > 0)
        #expect(report.errorSamples.first?.contains("refused") == true)
        #expect(BenchRunner.exitStatus(report) == 1)
    }

    @Test func jsonReportHasTheHeadlineFigures() throws {
        let echo = try Echo()
        defer { echo.stop() }
        let url = echo.url
        let report = try BenchEngine.run(options(url) { $0.duration = 300 })
        let json = report.json
        for key in ["\"messages_per_s\":", "\"latency_us\":{", "\"p99\":", "\"errors\":{\"total\":0", "\"bench_cpu\":{"] {
            #expect(json.contains(key), "\(key) missing in \(json)")
        }
        #expect(json.hasPrefix("{") && json.hasSuffix("}"))
    }
}

@Suite struct BenchPayloadTests {
    @Test func framesUnmaskToPayloadsThatVerify() {
        for size in [0, 5, 15, 16, 64, 300, 70_000] {
            let payload = BenchPayload(size: size)
            let frame = UnsafeMutableRawPointer.allocate(byteCount: payload.frameLength, alignment: 16)
            defer { frame.deallocate() }
            let length = payload.writeFrame(into: frame, sequence: 41, sentAt: 123_456_789, maskKey: 0xA1B2_C3D4)
            #expect(length == payload.frameLength)
            guard case .header(let header) = FrameHeader.parse(UnsafeRawBufferPointer(start: frame, count: length)) else {
                Issue.record("no frame header for size \(size)")
                continue
            }
            #expect(header.masked && header.payloadLength == UInt64(size))
            let body = UnsafeMutableRawBufferPointer(start: frame + header.headerLength, count: size)
            _ = applyMask(body, key: header.maskKey, phase: 0)
            #expect(payload.matches(frame + header.headerLength, sequence: 41, sentAt: 123_456_789))
            if size > 0 {
                #expect(!payload.matches(frame + header.headerLength, sequence: 42, sentAt: 123_456_789), "size \(size)")
                body[size - 1] ^= 1
                #expect(!payload.matches(frame + header.headerLength, sequence: 41, sentAt: 123_456_789))
            }
        }
    }
}

@Suite struct BenchFlagTests {
    @Test func parsesWatchedProcessesAndResumption() throws {
        let command = try CommandLineParser.parse([
            "bench", "--url", "wss://127.0.0.1:8443/", "--churn", "--tls-resume", "--watch-pids", "12,345",
        ])
        guard case .bench(let options) = command else {
            Issue.record("not a bench command: \(command)")
            return
        }
        #expect(options.tlsResume)
        #expect(options.watchedPIDs == [12, 345])
        let paced = try CommandLineParser.parse(["bench", "--url", "ws://127.0.0.1:8080/", "--churn", "--rate", "2000"])
        guard case .bench(let pacedOptions) = paced else {
            Issue.record("not a bench command: \(paced)")
            return
        }
        #expect(pacedOptions.rate == 2000)
    }

    @Test func rejectsResumptionOutsideChurnRateWhenIdleAndBadProcessLists() {
        for arguments in [
            ["bench", "--url", "ws://127.0.0.1:8080/", "--churn", "--tls-resume"],
            ["bench", "--url", "wss://127.0.0.1:8443/", "--tls-resume"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--watch-pids", "12,,3"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--watch-pids", "-1"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--watch-pids", "0"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--idle", "--rate", "100"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--churn", "--rate", "0"],
        ] {
            #expect(throws: CLIError.self, "\(arguments)") { try CommandLineParser.parse(arguments) }
        }
    }
}
