/// Incremental, strict parser for the head of an HTTP/1.x upgrade request.
///
/// Beyond RFC 9112 syntax it refuses everything a body-less upgrade request has no use for and that
/// request smuggling feeds on: Content-Length, Transfer-Encoding, duplicate or empty Host, folded lines.
public struct HTTPRequestHeadParser {
    private var reader: HTTPHeadReader
    private var requestLine: HTTPRequestLine?
    private var sawHost = false
    private var completed: HTTPRequestHead?
    private var completedLength = 0

    /// Creates a parser for one request head.
    public init(limits: HTTPLimits = .default) {
        reader = HTTPHeadReader(limits: limits, firstLineStatus: 414)
    }

    /// Parses `received`, all bytes received since the head started (a longer buffer on each call).
    public mutating func parse(
        _ received: UnsafeRawBufferPointer
    ) throws(HTTPHeadError) -> HTTPHeadParseResult<HTTPRequestHead> {
        if let completed { return .complete(completed, headLength: completedLength) }
        while let event = try reader.next(in: received) {
            switch event {
            case .startLine(let line):
                requestLine = try HTTPRequestLine(parsing: line)
            case .field(let name, let value):
                try check(name: name, value: value)
            case .end(let headLength):
                guard let requestLine else { preconditionFailure("head ended before its request line") }
                let head = HTTPRequestHead(
                    method: requestLine.method, target: requestLine.target,
                    versionMinor: requestLine.versionMinor, headers: reader.headers)
                completed = head
                completedLength = headLength
                return .complete(head, headLength: headLength)
            }
        }
        return .incomplete
    }

    private mutating func check(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(HTTPHeadError) {
        if HTTPSyntax.equalsIgnoringCase(name, "Host") {
            if sawHost { throw .badRequest("duplicate Host header") }
            sawHost = true
            if value.isEmpty { throw .badRequest("empty Host header") }
            guard value.allSatisfy(Self.isAuthorityChar) else { throw .badRequest("invalid Host header") }
        } else if HTTPSyntax.equalsIgnoringCase(name, "Content-Length") {
            throw .badRequest("Content-Length in a request without body")
        } else if HTTPSyntax.equalsIgnoringCase(name, "Transfer-Encoding") {
            throw .badRequest("Transfer-Encoding in a request without body")
        }
    }

    /// Characters of RFC 3986 `host [":" port]`, including IP-literals and percent-encoding.
    private static func isAuthorityChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
            UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
            UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "%"):
            return true
        default:
            return false
        }
    }
}
