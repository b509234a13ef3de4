/// Character classes of RFC 9110 / RFC 9112 used by the parsers and writers.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    /// RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenChar(_ byte: UInt8) -> Bool {
        // Bit n of each mask is set when byte n (or n + 64) is a tchar: one shift per byte, not a switch.
        if byte < 64 { return (0x03FF_6CFA_0000_0000 as UInt64) >> byte & 1 != 0 }
        if byte < 128 { return (0x57FF_FFFF_C7FF_FFFE as UInt64) >> (byte - 64) & 1 != 0 }
        return false
    }

    /// Optional whitespace (SP or HTAB).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// Bytes allowed inside a field value or reason phrase: HTAB, SP, VCHAR and obs-text.
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Visible ASCII (VCHAR), the only bytes allowed in a request-target.
    static func isVisibleASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// What `checkFieldValue` found.
    enum FieldValueCheck {
        /// A byte outside `isFieldValueChar`.
        case invalid
        /// Only HTAB, SP and visible ASCII.
        case ascii
        /// Bytes above ASCII, which need a UTF-8 check.
        case nonASCII
    }

    /// Checks a field value's bytes, eight at a time.
    static func checkFieldValue(_ value: UnsafeRawBufferPointer) -> FieldValueCheck {
        var high: UInt64 = 0
        var index = 0
        while value.count - index >= 8 {
            let word = value.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            high |= word
            // A byte below 0x20 (only HTAB of those is allowed) or a DEL sends the word to the byte check.
            if SWAR.hasByteBelow(0x20, in: word) || SWAR.hasByte(0x7F, in: word) {
                for offset in index..<(index + 8) where !isFieldValueChar(value[offset]) { return .invalid }
            }
            index += 8
        }
        while index < value.count {
            let byte = value[index]
            guard isFieldValueChar(byte) else { return .invalid }
            high |= UInt64(byte)
            index += 1
        }
        return high & SWAR.highBits != 0 ? .nonASCII : .ascii
    }

    static func isToken<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var empty = true
        for byte in bytes {
            guard isTokenChar(byte) else { return false }
            empty = false
        }
        return !empty
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// ASCII case-insensitive equality of two byte strings; field names and tokens are ASCII.
    static func equalsIgnoringCase(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while a.count - index >= 8 {
            let left = a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let right = b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if left != right && SWAR.asciiLowercased(left) != SWAR.asciiLowercased(right) { return false }
            index += 8
        }
        while index < a.count {
            if asciiLower(a[index]) != asciiLower(b[index]) { return false }
            index += 1
        }
        return true
    }

    /// ASCII case-insensitive equality of bytes and a string, without copying the string.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
        guard bytes.count == text.utf8.count else { return false }
        return text.withUTF8Bytes { equalsIgnoringCase(bytes, $0) }
    }

    /// Calls `body` with each element of a comma-separated list, trimmed, empty elements
    /// skipped, until `body` returns true; commas inside quoted strings do not split. Returns whether
    /// `body` returned true.
    static func findListElement(
        in value: UnsafeRawBufferPointer, where body: (UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        findPiece(of: value, separatedBy: UInt8(ascii: ",")) { range in
            let element = trimmingWhitespace(UnsafeRawBufferPointer(rebasing: value[range]))
            return !element.isEmpty && body(element)
        }
    }

    /// Calls `body` with the range of each piece of `value` between `separator` bytes outside double
    /// quotes (a backslash escapes inside quotes), untrimmed and empty ones included, until `body` returns
    /// true. Returns whether it did.
    static func findPiece(
        of value: UnsafeRawBufferPointer, separatedBy separator: UInt8, where body: (Range<Int>) -> Bool
    ) -> Bool {
        var pieceStart = 0
        var inQuotes = false
        var escaped = false
        for index in 0..<value.count {
            let byte = value[index]
            if escaped {
                escaped = false
            } else if inQuotes && byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == separator && !inQuotes {
                if body(pieceStart..<index) { return true }
                pieceStart = index + 1
            }
        }
        return body(pieceStart..<value.count)
    }

    /// `bytes` without leading and trailing SP/HTAB.
    static func trimmingWhitespace(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}

/// Checks for RFC 9110 tokens (method names, field names, subprotocols, Connection options).
public enum HTTPToken {
    /// True when `text` is a non-empty run of RFC 9110 `tchar`s.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        HTTPSyntax.isToken(text.utf8)
    }

    /// True when `bytes` are a non-empty run of RFC 9110 `tchar`s.
    public static func isValid(bytes: some Sequence<UInt8>) -> Bool {
        HTTPSyntax.isToken(bytes)
    }
}

/// Splits header values that hold lists with quoted strings (RFC 9110 section 5.6).
public enum HTTPList {
    /// The pieces of `bytes` between `separator` bytes outside double quotes (a backslash escapes inside
    /// quotes), untrimmed, empty pieces included.
    public static func pieces(of bytes: [UInt8], separatedBy separator: UInt8) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        bytes.withUnsafeBytes { raw in
            _ = HTTPSyntax.findPiece(of: raw, separatedBy: separator) { range in
                pieces.append(bytes[range])
                return false
            }
        }
        return pieces
    }
}
