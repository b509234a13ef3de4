import FuzzSupport
import WSHTTP
import WSProtocol

/// One input parsed as a request head and as a response head: whole, in two or three pieces, and byte by
/// byte when short. Every way must end the same (the parsers keep a scan offset between calls, which is
/// what the pieces test). An accepted request must be safe to forward: its fields hold no line breaks, and
/// the upstream request built from it parses back with exactly the gateway's Host, Upgrade and key.
enum HTTPHeadFuzzing {
    static let upstreamAuthority = "upstream.internal:9000"
    static let upstreamKey = "dGhlIHNhbXBsZSBub25jZQ=="
    /// Inputs up to this size are also fed one byte at a time.
    static let bytewiseLimit = 512

    static func run(_ input: UnsafeRawBufferPointer) {
        let seed = Chunking.hash(input)
        let request = consistentOutcome(HTTPRequestHeadParser.self, input, seed: seed)
        if case .complete(let head, let length) = request {
            checkHeadEnd(input, length)
            checkForwarding(head)
        }
        let response = consistentOutcome(HTTPResponseHeadParser.self, input, seed: seed >> 1)
        if case .complete(let head, let length) = response {
            checkHeadEnd(input, length)
            if case .success(let upgrade) = UpstreamResponseValidator.validate(
                head, key: upstreamKey, offeredSubprotocols: ["chat", "v2.json"]) {
                fuzzCheck(upgrade.subprotocol.map { ["chat", "v2.json"].contains($0) } ?? true,
                          "accepted a subprotocol that was not offered: \(upgrade.subprotocol ?? "")")
            }
        }
    }

    /// The outcome of parsing `input` whole, after checking that the pieced feeds agree with it.
    static func consistentOutcome<Parser: IncrementalHeadParser>(
        _ parserType: Parser.Type, _ input: UnsafeRawBufferPointer, seed: UInt64
    ) -> HeadOutcome<Parser.Head> {
        let whole = HeadOutcome.parse(parserType, input, prefixEnds: [input.count])
        let pieces = Chunking.prefixEnds(count: input.count, pieces: 2 + Int(seed % 2), seed: seed)
        let pieced = HeadOutcome.parse(parserType, input, prefixEnds: pieces)
        fuzzCheck(pieced == whole, "\(Parser.self): pieces \(pieces) gave \(pieced), whole input \(whole)")
        if input.count <= bytewiseLimit {
            let bytewise = HeadOutcome.parse(parserType, input, prefixEnds: Array(0...input.count))
            fuzzCheck(bytewise == whole, "\(Parser.self): byte by byte gave \(bytewise), whole input \(whole)")
        }
        return whole
    }

    /// A complete head ends with its empty line, inside the input.
    static func checkHeadEnd(_ input: UnsafeRawBufferPointer, _ length: Int) {
        fuzzCheck(length >= 4 && length <= input.count, "head length \(length) of \(input.count) bytes")
        fuzzCheck(Array(input[(length - 4)..<length]) == [13, 10, 13, 10], "head does not end with CRLF CRLF")
    }

    static func checkForwarding(_ head: HTTPRequestHead) {
        fuzzCheck(!head.target.utf8.contains { $0 <= 0x20 || $0 == 0x7F }, "target with space or control: \(head.target)")
        for field in head.headers {
            fuzzCheck(!field.name.isEmpty && !field.name.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: ":") },
                      "bad field name \(field.name.utf8.map { $0 })")
            fuzzCheck(!field.value.utf8.contains { $0 == 0 || $0 == 10 || $0 == 13 }, "line break in \(field.name)")
        }
        guard case .success(let upgrade) = ClientHandshakeValidator.validate(head) else { return }
        let built = UpstreamRequestBuilder.build(
            client: upgrade, upstreamAuthority: upstreamAuthority, target: head.target, key: upstreamKey,
            forwarding: ForwardingInfo(clientAddress: "203.0.113.7", scheme: "https"))
        var parser = HTTPRequestHeadParser(limits: HTTPLimits(maxRequestLine: 1 << 20, maxHeadSize: 1 << 20, maxHeaderCount: 1_000))
        let reparsed = built.withUnsafeBytes { bytes in
            Result { () throws(HTTPHeadError) in try parser.parse(bytes) }
        }
        guard case .success(.complete(let upstream, let length)) = reparsed else {
            fuzzCheck(false, "the upstream request does not parse: \(reparsed)\n\(String(decoding: built, as: UTF8.self))")
            return
        }
        fuzzCheck(length == built.count, "upstream request head is \(length) of \(built.count) bytes")
        fuzzCheck(upstream.target == head.target, "target changed: \(upstream.target)")
        fuzzCheck(upstream.headers.values("Host") == [upstreamAuthority], "Host: \(upstream.headers.values("Host"))")
        fuzzCheck(upstream.headers.values("Upgrade") == ["websocket"], "Upgrade: \(upstream.headers.values("Upgrade"))")
        fuzzCheck(upstream.headers.values("Sec-WebSocket-Key") == [upstreamKey], "key smuggled through")
        fuzzCheck(!upstream.headers.contains("Content-Length") && !upstream.headers.contains("Transfer-Encoding"),
                  "framing header forwarded")
    }
}
