/// Serializes an HTTP/1.1 head into bytes, refusing anything that could split or inject lines.
public struct HTTPHeadBuilder {
    /// Enough for a proxied upgrade request or a 101 without growing.
    private static let initialCapacity = 512

    /// The head so far in the first `count` bytes; the rest is zeroed room. Each piece is copied in with
    /// one uniqueness check and `memcpy`, where `Array.append` costs about sixty instructions per call.
    private var bytes = [UInt8](repeating: 0, count: initialCapacity)
    private var count = 0

    /// Starts a request head, `method target HTTP/1.1`: bytes of `target` outside visible ASCII are
    /// percent-encoded and an empty target becomes "/". `method` must be a token.
    public init(method: String, target: String) {
        precondition(HTTPToken.isValid(method), "method must be an HTTP token")
        append(method)
        append(HTTPSyntax.space)
        appendSafeTarget(target)
        append(" HTTP/1.1\r\n")
    }

    /// Starts a response head, `HTTP/1.1 status reason`: an unsafe or missing reason phrase is replaced by
    /// the standard one. `status` must have three digits.
    public init(status: Int, reason: String? = nil) {
        precondition((100...999).contains(status), "status code must have three digits")
        append("HTTP/1.1 ")
        append(UInt8(ascii: "0") + UInt8(status / 100))
        append(UInt8(ascii: "0") + UInt8(status / 10 % 10))
        append(UInt8(ascii: "0") + UInt8(status % 10))
        append(HTTPSyntax.space)
        if let reason, reason.utf8.allSatisfy(HTTPSyntax.isFieldValueChar) {
            append(reason)
        } else {
            append(HTTPStatus.reasonPhrase(status))
        }
        append("\r\n")
    }

    /// Starts a head with `lines` written in the code (a start line, then fixed field lines, each ending in
    /// CRLF), copied as they are: a constant needs no check on every connection.
    public init(lines: StaticString) {
        appendLines(lines)
    }

    /// Appends fixed field lines written in the code, each ending in CRLF, as they are.
    public mutating func appendLines(_ lines: StaticString) {
        let length = lines.utf8CodeUnitCount
        assert(length >= 2 && lines.utf8Start[length - 2] == HTTPSyntax.cr && lines.utf8Start[length - 1] == HTTPSyntax.lf,
               "fixed lines end in CRLF")
        write(byteCount: length) { $0.copyMemory(from: UnsafeRawBufferPointer(start: lines.utf8Start, count: length)) }
    }

    /// Appends `name: value`, or nothing when the name is not a token or the value holds CR, LF, NUL or
    /// another control character.
    public mutating func appendField(_ name: String, _ value: String) {
        value.withUTF8Bytes { appendField(name, $0) }
    }

    /// `appendField` with the value given as bytes.
    public mutating func appendField(_ name: String, _ value: UnsafeRawBufferPointer) {
        name.withUTF8Bytes { appendSafeField($0, value) }
    }

    /// Appends the end-to-end fields of `headers` in order: all but those named in `excluded` and the
    /// hop-by-hop fields its Connection field lists as options (RFC 9110 section 7.6.1). Names compare
    /// case-insensitively. Fields the parser produced were checked as they arrived and are copied as they are.
    public mutating func appendEndToEndFields(of headers: HTTPHeaders, excluding excluded: HTTPFieldNameSet) {
        _ = headers.findField { name, value in
            let dropped = excluded.contains(name) || headers.containsToken("Connection", name)
            if dropped {
                return false
            }
            if headers.isChecked {
                appendCheckedField(name, value)
            } else {
                appendSafeField(name, value)
            }
            return false
        }
    }

    /// Ends the head with the empty line and returns it.
    public consuming func finish() -> [UInt8] {
        append("\r\n")
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    private mutating func appendSafeField(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        guard HTTPSyntax.isToken(name), HTTPSyntax.checkFieldValue(value) != .invalid else { return }
        appendCheckedField(name, value)
    }

    /// `name: value` and CRLF, written in one go.
    private mutating func appendCheckedField(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        write(byteCount: name.count + value.count + 4) { out in
            out.copyMemory(from: name)
            var offset = name.count
            out[offset] = HTTPSyntax.colon
            out[offset + 1] = HTTPSyntax.space
            offset += 2
            UnsafeMutableRawBufferPointer(rebasing: out[offset...]).copyMemory(from: value)
            offset += value.count
            out[offset] = HTTPSyntax.cr
            out[offset + 1] = HTTPSyntax.lf
        }
    }

    private mutating func appendSafeTarget(_ target: String) {
        if target.isEmpty {
            append(UInt8(ascii: "/"))
            return
        }
        if target.utf8.allSatisfy(HTTPSyntax.isVisibleASCII) {
            append(target)
            return
        }
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in target.utf8 {
            if HTTPSyntax.isVisibleASCII(byte) {
                append(byte)
            } else {
                append(UInt8(ascii: "%"))
                append(hex[Int(byte >> 4)])
                append(hex[Int(byte & 0x0F)])
            }
        }
    }

    private mutating func append(_ text: String) {
        text.withUTF8Bytes { source in write(byteCount: source.count) { $0.copyMemory(from: source) } }
    }

    private mutating func append(_ byte: UInt8) {
        write(byteCount: 1) { $0[0] = byte }
    }

    /// Lets `body` fill the next `byteCount` bytes, growing the room first when needed.
    private mutating func write(byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> Void) {
        if count + byteCount > bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, count + byteCount - bytes.count)))
        }
        let start = count
        bytes.withUnsafeMutableBytes { body(UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + byteCount)])) }
        count += byteCount
    }
}
