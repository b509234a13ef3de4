import Foundation
import Testing
import WSHTTP
import WSIO
@testable import WSGateway
import WSProtocol

/// `wsgate bench --deflate` and `--payload text`: payloads, negotiation, compression and the report.
@Suite struct BenchTextPayloadTests {
    @Test func textPayloadsAreJSONChatMessagesThatVerify() throws {
        for size in [96, 1_024, 70_000] {
            let payload = BenchPayload(size: size, kind: .text)
            #expect(payload.opcode == WSOpcode.text)
            let message = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            defer { message.deallocate() }
            payload.writeMessage(into: message, sequence: 0x2A, sentAt: 0x1D4F_8E1C_20)
            let bytes = Array(UnsafeRawBufferPointer(start: message, count: size))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String], "size \(size)")
            #expect(object["seq"] == "000000000000002a")
            #expect(object["ts"] == "0000001d4f8e1c20")
            #expect(object["room"] != nil && object["user"] != nil && (object["text"]?.isEmpty == false))
            #expect(payload.matches(message, sequence: 0x2A, sentAt: 0x1D4F_8E1C_20))
            #expect(!payload.matches(message, sequence: 0x2B, sentAt: 0x1D4F_8E1C_20))
            #expect(!payload.matches(message, sequence: 0x2A, sentAt: 0x1D4F_8E1C_21))
            message.storeBytes(of: message.load(fromByteOffset: size - 3, as: UInt8.self) ^ 1, toByteOffset: size - 3, as: UInt8.self)
            #expect(!payload.matches(message, sequence: 0x2A, sentAt: 0x1D4F_8E1C_20))
        }
    }

    @Test func consecutiveTextMessagesSayDifferentThings() {
        let payload = BenchPayload(size: 512, kind: .text)
        let texts = (0..<8).map { sequence in
            let message = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
            defer { message.deallocate() }
            payload.writeMessage(into: message, sequence: UInt64(sequence), sentAt: 0)
            return Array(UnsafeRawBufferPointer(start: message + ChatText.headerSize, count: 512 - ChatText.headerSize))
        }
        #expect(Set(texts).count == texts.count)
    }
}

@Suite struct BenchCompressionTests {
    let agreed = DeflateAgreement(serverMaxWindowBits: 12, clientMaxWindowBits: 12)

    @Test func theAgreementComesFromThe101OrTheConnectionFails() {
        func answer(_ value: String?) -> Result<DeflateAgreement, BenchCompression.Refusal> {
            BenchCompression.agreement(in: HTTPHeaders(value.map { [("Sec-WebSocket-Extensions", $0)] } ?? []))
        }
        #expect(answer(agreed.headerValue) == .success(agreed))
        #expect(answer("permessage-deflate") == .success(DeflateAgreement()))
        #expect(answer(nil) == .failure(.declined))
        for invalid in ["x-webkit-deflate-frame", "permessage-deflate; server_max_window_bits=16",
                        "permessage-deflate; unknown=1", "permessage-deflate, permessage-deflate"] {
            guard case .failure(.invalid) = answer(invalid) else {
                Issue.record("accepted \(invalid)")
                continue
            }
        }
    }

    @Test(arguments: [BenchPayloadKind.binary, .text], [false, true])
    func compressedFramesCarryTheMessageBothWays(kind: BenchPayloadKind, noContextTakeover: Bool) throws {
        let payload = BenchPayload(size: 1_024, kind: kind)
        var agreement = agreed
        agreement.clientNoContextTakeover = noContextTakeover
        agreement.serverNoContextTakeover = noContextTakeover
        let client = BenchCompression(payload: payload)
        client.start(agreement)
        let server = DeflateTestCodec(agreement, as: .server)
        let frame = UnsafeMutableRawPointer.allocate(byteCount: payload.compressedFrameBound, alignment: 16)
        let plain = UnsafeMutableRawPointer.allocate(byteCount: payload.size, alignment: 16)
        defer {
            frame.deallocate()
            plain.deallocate()
        }
        var wire = 0
        for sequence in UInt64(0)..<20 {
            let written = try #require(client.writeFrame(into: frame, sequence: sequence, sentAt: 7, maskKey: 0x1234_5678))
            guard case .header(let header) = FrameHeader.parse(UnsafeRawBufferPointer(start: frame, count: written.frame)) else {
                Issue.record("no frame header")
                return
            }
            #expect(header.rsv == 0x40 && header.masked && header.opcode == payload.opcode && header.fin)
            #expect(header.headerLength + written.payload == written.frame)
            let body = UnsafeMutableRawBufferPointer(start: frame + header.headerLength, count: written.payload)
            _ = applyMask(body, key: header.maskKey, phase: 0)
            let message = try #require(server.inflate(Array(body)))
            payload.writeMessage(into: plain, sequence: sequence, sentAt: 7)
            #expect(message == Array(UnsafeRawBufferPointer(start: plain, count: payload.size)))
            wire += written.payload

            let echo = server.compress(message)
            let inflated = try #require(echo.withUnsafeBytes { client.inflate($0.baseAddress!, length: $0.count) })
            #expect(payload.matches(inflated.baseAddress!, sequence: sequence, sentAt: 7) && inflated.count == payload.size)
        }
        if kind == .text { #expect(wire * 2 < 20 * payload.size, "text compressed to \(wire) bytes") }
    }

    @Test func largeBinaryMessagesFitTheirSendRoom() throws {
        let payload = BenchPayload(size: 1 << 20)
        let client = BenchCompression(payload: payload)
        client.start(agreed)
        let frame = UnsafeMutableRawPointer.allocate(byteCount: payload.compressedFrameBound, alignment: 16)
        defer { frame.deallocate() }
        for sequence in UInt64(0)..<3 {
            let written = try #require(client.writeFrame(into: frame, sequence: sequence, sentAt: 1, maskKey: 9))
            #expect(written.frame <= payload.compressedFrameBound)
        }
    }

    @Test func anEchoThatInflatesTooFarOrIsNotDeflateIsRefused() {
        let payload = BenchPayload(size: 100)
        let client = BenchCompression(payload: payload)
        client.start(agreed)
        let server = DeflateTestCodec(agreed, as: .server)
        let tooLong = server.compress([UInt8](repeating: 7, count: 101))
        #expect(tooLong.withUnsafeBytes { client.inflate($0.baseAddress!, length: $0.count) } == nil)
        let fresh = BenchCompression(payload: payload)
        fresh.start(agreed)
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(garbage.withUnsafeBytes { fresh.inflate($0.baseAddress!, length: $0.count) } == nil)
    }
}

@Suite(.serialized) struct BenchDeflateRunTests {
    func options(_ url: UpstreamURL, _ adjust: (inout BenchOptions) -> Void) -> BenchOptions {
        var options = BenchOptions(url: url)
        options.connections = 4
        options.workers = 1
        options.duration = 500
        options.warmup = 100
        options.deflate = true
        adjust(&options)
        return options
    }

    @Test func compressedEchoesVerifyAndTheRatioIsReported() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        for (kind, size, depth) in [(BenchPayloadKind.text, 1_024, 1), (.text, 200, 8), (.binary, 16_384, 2), (.binary, 0, 1)] {
            let report = try BenchEngine.run(options(echo.url) { $0.payload = kind; $0.messageSize = size; $0.depth = depth })
            let label = "\(kind) \(size) B depth \(depth)"
            #expect(report.messages > 0, "\(label)")
            #expect(report.errors.total == 0, "\(label): \(report.errors) \(report.errorSamples)")
            #expect(BenchRunner.exitStatus(report) == 0)
            let compression = try #require(report.compression)
            #expect(compression.agreement == "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12")
            #expect(compression.payloadBytesReceived == report.payloadBytes)
            #expect(compression.wireBytesReceived > 0 && compression.wireBytesSent > 0)
            if kind == .text {
                #expect((compression.ratioSent ?? 0) > 2 && (compression.ratioReceived ?? 0) > 2, "\(label): \(compression)")
            }
            #expect(report.json.contains("\"deflate\":{\"agreement\":\"permessage-deflate; server_max_window_bits=12"))
            #expect(report.json.contains("\"ratio_sent\":") && report.json.contains("\"payload\":\"\(kind.rawValue)\""))
            #expect(report.text.contains("on the wire"))
        }
    }

    @Test func churnAndTextWithoutCompressionWork() throws {
        let echo = try BenchSmokeTests.Echo(deflate: true)
        defer { echo.stop() }
        let churn = try BenchEngine.run(options(echo.url) { $0.churn = true; $0.payload = .text; $0.messageSize = 128 })
        #expect(churn.cycles > 0 && churn.errors.total == 0, "\(churn.errors) \(churn.errorSamples)")
        let plain = try BenchEngine.run(options(echo.url) { $0.deflate = false; $0.payload = .text; $0.messageSize = 1_024 })
        #expect(plain.messages > 0 && plain.errors.total == 0, "\(plain.errors) \(plain.errorSamples)")
        #expect(plain.compression == nil && !plain.json.contains("\"deflate\":{"))
    }

    @Test func aTextPayloadTooSmallForItsJSONIsRefusedBeforeStarting() {
        let url = UpstreamURL(secure: false, host: "127.0.0.1", port: 9, path: "/")
        #expect(throws: BenchError.self) { try BenchEngine.run(options(url) { $0.payload = .text; $0.messageSize = 95 }) }
    }

    @Test func aServerThatDoesNotAgreeFailsTheRun() throws {
        let echo = try BenchSmokeTests.Echo()
        defer { echo.stop() }
        let report = try BenchEngine.run(options(echo.url) { $0.duration = 300 })
        #expect(report.messages == 0)
        #expect(report.errors.deflateDeclined > 0)
        #expect(report.errorSamples.first?.contains("did not agree to permessage-deflate") == true)
        #expect(report.compression?.agreement == nil)
        #expect(report.text.contains("DEFLATE DECLINED"))
        #expect(BenchRunner.exitStatus(report) == 1)
    }
}

@Suite struct BenchDeflateFlagTests {
    @Test func parsesDeflateAndPayload() throws {
        guard case .bench(let options) = try CommandLineParser.parse(
            ["bench", "--url", "ws://127.0.0.1:8080/", "--deflate", "--payload", "text", "--size", "1024"]
        ) else {
            Issue.record("not a bench command")
            return
        }
        #expect(options.deflate && options.payload == .text && options.messageSize == 1_024)
        guard case .echo(let echo) = try CommandLineParser.parse(["echo", "--listen", "127.0.0.1:9000", "--deflate"]) else {
            Issue.record("not an echo command")
            return
        }
        #expect(echo.deflate)
    }

    @Test func rejectsUnknownPayloadsAndTextTooShort() {
        for arguments in [
            ["bench", "--url", "ws://127.0.0.1:8080/", "--payload", "xml"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--payload", "text"],
            ["bench", "--url", "ws://127.0.0.1:8080/", "--payload", "text", "--size", "95"],
        ] {
            #expect(throws: CLIError.self, "\(arguments)") { try CommandLineParser.parse(arguments) }
        }
    }
}
