/// Serializes an HTTP/1.1 head into bytes, refusing anything that could split or inject lines.
public struct HTTPHeadBuilder {
    /// Enough for a proxied upgrade request or a 101 without growing.
    private static let initialCapacity = 512

    private var bytes: [UInt8] = []

    /// Starts a request head, `method target HTTP/1.1`: bytes of `target` outside visible ASCII are
    /// percent-encoded and an empty target becomes "/". `method` must be a token.
    public init(method: String, target: String) {
        precondition(HTTPToken.isValid(method), "method must be an HTTP token")
        bytes.reserveCapacity(Self.initialCapacity)
        bytes.append(contentsOf: method.utf8)
        bytes.append(HTTPSyntax.space)
        appendSafeTarget(target)
        bytes.append(contentsOf: " HTTP/1.1".utf8)
        appendCRLF()
    }

    /// Starts a response head, `HTTP/1.1 status reason`: an unsafe or missing reason phrase is replaced by
    /// the standard one. `status` must have three digits.
    public init(status: Int, reason: String? = nil) {
        precondition((100...999).contains(status), "status code must have three digits")
        bytes.reserveCapacity(Self.initialCapacity)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(UInt8(ascii: "0") + UInt8(status / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(status / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(status % 10))
        bytes.append(HTTPSyntax.space)
        if let reason, reason.utf8.allSatisfy(HTTPSyntax.isFieldValueChar) {
            bytes.append(contentsOf: reason.utf8)
        } else {
            bytes.append(contentsOf: HTTPStatus.reasonPhrase(status).utf8)
        }
        appendCRLF()
    }

    /// Appends `name: value`, or nothing when the name is not a token or the value holds CR, LF, NUL or
    /// another control character.
    public mutating func appendField(_ name: String, _ value: String) {
        var value = value
        value.withUTF8 { appendField(name, UnsafeRawBufferPointer($0)) }
    }

    /// `appendField` with the value given as bytes.
    public mutating func appendField(_ name: String, _ value: UnsafeRawBufferPointer) {
        var name = name
        name.withUTF8 { appendSafeField(UnsafeRawBufferPointer($0), value) }
    }

    /// Appends the end-to-end fields of `headers` in order: all but those named in `excluded` and the
    /// hop-by-hop fields its Connection field lists as options (RFC 9110 section 7.6.1). Names compare
    /// case-insensitively.
    public mutating func appendEndToEndFields(of headers: HTTPHeaders, excluding excluded: [String]) {
        _ = headers.findField { name, value in
            let dropped = excluded.contains { HTTPSyntax.equalsIgnoringCase(name, $0) }
                || headers.containsToken("Connection", name)
            if !dropped { appendSafeField(name, value) }
            return false
        }
    }

    /// Ends the head with the empty line and returns it.
    public consuming func finish() -> [UInt8] {
        appendCRLF()
        return bytes
    }

    private mutating func appendSafeField(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        guard HTTPSyntax.isToken(name), value.allSatisfy(HTTPSyntax.isFieldValueChar) else { return }
        bytes.append(contentsOf: name.assumingMemoryBound(to: UInt8.self))
        bytes.append(HTTPSyntax.colon)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
        appendCRLF()
    }

    private mutating func appendSafeTarget(_ target: String) {
        if target.isEmpty {
            bytes.append(UInt8(ascii: "/"))
            return
        }
        if target.utf8.allSatisfy(HTTPSyntax.isVisibleASCII) {
            bytes.append(contentsOf: target.utf8)
            return
        }
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in target.utf8 {
            if HTTPSyntax.isVisibleASCII(byte) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
    }

    private mutating func appendCRLF() {
        bytes.append(HTTPSyntax.cr)
        bytes.append(HTTPSyntax.lf)
    }
}
