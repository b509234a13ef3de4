/// The text payload of the bench: one JSON chat message per template, e.g.
/// `{"seq":"000000000000002a","ts":"0000001d4f8e1c20","room":"r3","user":"u0111","text":"see you at the…"}`,
/// exactly as long as the payload size, with words drawn deterministically from a small vocabulary so it
/// compresses about as well as real chat traffic.
enum ChatText {
    /// `{"seq":"` 16 hex digits `","ts":"` 16 hex digits `",`: rewritten for every message.
    static let headerSize = 50
    private static let sequenceOffset = 8
    private static let timeOffset = 32

    private static let vocabulary = [
        "the", "a", "we", "you", "they", "meet", "at", "noon", "tomorrow", "deploy", "looks", "good", "to", "me",
        "ship", "it", "after", "lunch", "can", "someone", "review", "my", "change", "please", "thanks", "for",
        "the", "update", "build", "is", "green", "again", "coffee", "anyone", "see", "new", "dashboard", "numbers",
        "are", "up", "this", "week", "let's", "sync", "on", "friday", "sounds", "great", "ok", "done",
    ].map { Array($0.utf8) }

    /// Writes `{"seq":"…","ts":"…",` with the two numbers as lower-case hex digits.
    @inline(__always)
    static func writeHeader(into payload: UnsafeMutableRawPointer, sequence: UInt64, sentAt: UInt64) {
        writeASCII("{\"seq\":\"", at: payload)
        writeHex(sequence, at: payload + sequenceOffset)
        writeASCII("\",\"ts\":\"", at: payload + sequenceOffset + 16)
        writeHex(sentAt, at: payload + timeOffset)
        writeASCII("\",", at: payload + timeOffset + 16)
    }

    /// Fills `size` bytes at `template` with message template `index` (header fields zero).
    static func writeTemplate(into template: UnsafeMutableRawPointer, size: Int, index: Int) {
        var text: [UInt8] = []
        text.reserveCapacity(size)
        var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 | 1
        text += Array("\"room\":\"r\(index % 8)\",\"user\":\"u\(String(1000 + index &* 37 % 9000))\",\"text\":\"".utf8)
        let textEnd = size - headerSize - 2
        while text.count < textEnd {
            // xorshift64: a fixed word sequence per template, different between templates.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            if text.last != UInt8(ascii: "\"") { text.append(UInt8(ascii: " ")) }
            text += vocabulary[Int(state % UInt64(vocabulary.count))]
        }
        text.removeLast(text.count - textEnd)
        text += Array("\"}".utf8)
        writeHeader(into: template, sequence: 0, sentAt: 0)
        text.withUnsafeBytes { (template + headerSize).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    @inline(__always)
    private static func writeASCII(_ text: StaticString, at pointer: UnsafeMutableRawPointer) {
        pointer.copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
    }

    @inline(__always)
    private static func writeHex(_ value: UInt64, at pointer: UnsafeMutableRawPointer) {
        for index in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0x0F
            pointer.storeBytes(of: nibble < 10 ? 0x30 + nibble : 0x57 + nibble, toByteOffset: index, as: UInt8.self)
        }
    }
}
