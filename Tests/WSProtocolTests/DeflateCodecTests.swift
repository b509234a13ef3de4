import Testing
import WSProtocol

@Suite struct DeflateCodecTests {
    let direction = DeflateDirection(noContextTakeover: false, windowBits: 15)

    func deflate(_ deflater: Deflater, _ message: [UInt8]) -> [UInt8] {
        let out = MessageBuffer()
        #expect(message.withUnsafeBytes { deflater.deflate($0, into: out) })
        return Array(out.bytes)
    }

    func inflate(_ inflater: Inflater, _ payload: [UInt8], limit: Int = .max) -> (Inflater.Outcome, [UInt8]) {
        let out = MessageBuffer()
        var outcome = payload.withUnsafeBytes { inflater.inflate($0, into: out, limit: limit) }
        if outcome == .ok { outcome = inflater.finishMessage(into: out, limit: limit) }
        return (outcome, Array(out.bytes))
    }

    @Test func rfc7692HelloExamples() {
        #expect(deflate(Deflater(direction), Array("Hello".utf8)) == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        let inflater = Inflater(direction)
        // §7.2.3.1 and the same message compressed again with the shared window (§7.2.3.2).
        #expect(inflate(inflater, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]) == (.ok, Array("Hello".utf8)))
        #expect(inflate(inflater, [0xF2, 0x00, 0x11, 0x00, 0x00]) == (.ok, Array("Hello".utf8)))
        // §7.2.3.3: a block with no compression; §7.2.3.5: two blocks in one message.
        #expect(inflate(Inflater(direction), [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]) == (.ok, Array("Hello".utf8)))
        #expect(inflate(Inflater(direction), [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00])
                == (.ok, Array("Hello".utf8)))
    }

    @Test func contextTakeoverShrinksRepeatsAndNoTakeoverDoesNot() {
        let message = Array("a message that repeats, a message that repeats".utf8)
        let shared = Deflater(direction)
        let first = deflate(shared, message)
        #expect(deflate(shared, message).count < first.count)
        let fresh = Deflater(DeflateDirection(noContextTakeover: true, windowBits: 15))
        #expect(deflate(fresh, message) == first)
        #expect(deflate(fresh, message) == first)
    }

    @Test func higherLevelsCompressTighterAndAllRoundTrip() {
        let words = ["gateway", "socket", "frame", "latency", "message", "deflate"]
        let message = Array((0..<2000).map { words[($0 * 7 + $0 / 5) % words.count] }.joined(separator: " ").utf8)
        let fastest = deflate(Deflater(direction, level: 1), message)
        let tightest = deflate(Deflater(direction, level: 9), message)
        #expect(tightest.count < fastest.count)
        #expect(inflate(Inflater(direction), fastest) == (.ok, message))
        #expect(inflate(Inflater(direction), tightest) == (.ok, message))
        #expect(deflate(Deflater(direction), message) == fastest)
    }

    @Test func roundTripsLargeMessagesAcrossManyMessages() {
        let deflater = Deflater(direction)
        let inflater = Inflater(direction)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let size = round == 0 ? 1 << 20 : Int.random(in: 0...5000, using: &generator)
            let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 / 7 &+ (round & 3 == 0 ? Int.random(in: 0...255, using: &generator) : 0)) }
            let (outcome, back) = inflate(inflater, deflate(deflater, message))
            #expect(outcome == .ok)
            #expect(back == message)
        }
    }

    @Test func inflaterStopsAtTheLimitOfABomb() {
        let bomb = deflate(Deflater(direction, level: 9), [UInt8](repeating: 0, count: 8 << 20))
        #expect(bomb.count < 16_384)
        let out = MessageBuffer()
        let inflater = Inflater(direction)
        let outcome = bomb.withUnsafeBytes { inflater.inflate($0, into: out, limit: 1 << 20) }
        #expect(outcome == .limitReached)
        #expect(out.count == (1 << 20) + 1)
        #expect(out.capacity <= (1 << 21))
        let exact = Inflater(direction)
        #expect(inflate(exact, deflate(Deflater(direction), [UInt8](repeating: 7, count: 1000)), limit: 1000).0 == .ok)
        #expect(inflate(Inflater(direction), deflate(Deflater(direction), [UInt8](repeating: 7, count: 1001)), limit: 1000).0 == .limitReached)
    }

    @Test func invalidDataIsReported() {
        let (outcome, _) = inflate(Inflater(direction), [0xFF, 0xFF, 0xFF, 0xFF, 0x00])
        guard case .invalid = outcome else {
            Issue.record("expected invalid, got \(outcome)")
            return
        }
    }
}

@Suite struct DeflateEmptyMessageTests {
    @Test func emptyMessagesKeepTheStreamInSync() {
        let deflater = Deflater(DeflateDirection(noContextTakeover: false, windowBits: 12))
        let inflater = Inflater(DeflateDirection(noContextTakeover: false, windowBits: 12))
        for message in [[], [], Array("x".utf8), [], Array("hello hello".utf8)] as [[UInt8]] {
            let compressed = MessageBuffer()
            #expect(message.withUnsafeBytes { deflater.deflate($0, into: compressed) })
            let out = MessageBuffer()
            #expect(inflater.inflate(compressed.bytes, into: out, limit: .max) == .ok)
            #expect(inflater.finishMessage(into: out, limit: .max) == .ok)
            #expect(Array(out.bytes) == message, "\(Array(compressed.bytes))")
        }
    }
}
