extension JSONReader {
    /// Reads a string starting at its opening quote, validating UTF-8 and decoding escapes.
    mutating func readString() throws(JSONParseError) -> String {
        position += 1
        var segmentStart = position
        // Only strings with escapes need a scratch buffer; the rest decode straight from the input.
        var unescaped: [UInt8]? = nil
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                let tail = UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<position])
                position += 1
                guard var unescaped else { return String(decoding: tail, as: UTF8.self) }
                unescaped.append(contentsOf: tail)
                return String(decoding: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                var buffer = unescaped ?? []
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<position]))
                try readEscape(into: &buffer)
                unescaped = buffer
                segmentStart = position
            case 0x00..<0x20:
                throw error("unescaped control character \(describe(byte)) in string")
            case 0x20..<0x80:
                position += 1
            default:
                try skipMultibyteScalar(lead: byte)
            }
        }
    }

    /// Decodes one escape sequence starting at its backslash, appending its UTF-8.
    private mutating func readEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard let kind = peek() else { throw error("unterminated escape sequence") }
        position += 1
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(kind)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexQuad()
            let scalar: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONParseError(offset: escapeStart, message: "high surrogate without a low surrogate")
                }
                position += 2
                let low = try readHexQuad()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(offset: escapeStart, message: "high surrogate without a low surrogate")
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONParseError(offset: escapeStart, message: "low surrogate without a high surrogate")
            default:
                scalar = unit
            }
            appendUTF8(of: scalar, to: &buffer)
        default:
            throw JSONParseError(offset: escapeStart, message: "invalid escape sequence \\\(describe(kind))")
        }
    }

    private mutating func readHexQuad() throws(JSONParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigitValue(bytes[position]) else { throw error("invalid hex digit in \\u escape") }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func appendUTF8(of scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence (Unicode 15, table 3-7): rejects overlong forms,
    /// encoded surrogates and code points above U+10FFFF.
    private mutating func skipMultibyteScalar(lead: UInt8) throws(JSONParseError) {
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xC2...0xDF: (secondRange, length) = (0x80...0xBF, 2)
        case 0xE0: (secondRange, length) = (0xA0...0xBF, 3)
        case 0xE1...0xEC, 0xEE...0xEF: (secondRange, length) = (0x80...0xBF, 3)
        case 0xED: (secondRange, length) = (0x80...0x9F, 3)
        case 0xF0: (secondRange, length) = (0x90...0xBF, 4)
        case 0xF1...0xF3: (secondRange, length) = (0x80...0xBF, 4)
        case 0xF4: (secondRange, length) = (0x80...0x8F, 4)
        default: throw error("invalid UTF-8 lead byte \(describe(lead))")
        }
        guard bytes.count - position >= length else { throw error("truncated UTF-8 sequence") }
        guard secondRange.contains(bytes[position + 1]) else { throw error("invalid UTF-8 sequence") }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) {
            throw error("invalid UTF-8 sequence")
        }
        position += length
    }
}
