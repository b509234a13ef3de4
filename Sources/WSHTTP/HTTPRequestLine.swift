/// Parses `method SP request-target SP HTTP-version` (RFC 9112 section 3), origin-form targets only.
struct HTTPRequestLine {
    let method: String
    let target: String
    let versionMinor: Int

    init(parsing line: UnsafeRawBufferPointer) throws(HTTPHeadError) {
        if line.isEmpty { throw .badRequest("empty request line") }
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: HTTPSyntax.space)
        else { throw .badRequest("malformed request line") }
        let method = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
        let target = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let version = UnsafeRawBufferPointer(rebasing: line[(secondSpace + 1)...])

        guard HTTPSyntax.isToken(method) else { throw .badRequest("invalid method") }
        guard target.first == UInt8(ascii: "/") else {
            throw .badRequest("request target is not in origin-form")
        }
        guard target.allSatisfy(HTTPSyntax.isVisibleASCII), !target.contains(UInt8(ascii: "#")) else {
            throw .badRequest("invalid character in request target")
        }
        versionMinor = try HTTPVersion.parseMinor(version)
        self.method = String(decoding: method, as: UTF8.self)
        self.target = String(decoding: target, as: UTF8.self)
    }
}
