/// Incremental, strict parser for the head of an HTTP/1.x response (an upstream's answer to an upgrade).
///
/// Same line and field rules as requests; message framing headers are allowed because an error response may
/// carry a body, which the caller does not read.
public struct HTTPResponseHeadParser {
    private var reader: HTTPHeadReader
    private var statusLine: HTTPStatusLine?
    private var completed: HTTPResponseHead?
    private var completedLength = 0

    /// Creates a parser for one response head; only `maxHeadSize` and `maxHeaderCount` apply.
    public init(limits: HTTPLimits = .default) {
        reader = HTTPHeadReader(limits: limits, firstLineStatus: nil)
    }

    /// Parses `received`, all bytes received since the head started (a longer buffer on each call).
    public mutating func parse(
        _ received: UnsafeRawBufferPointer
    ) throws(HTTPHeadError) -> HTTPHeadParseResult<HTTPResponseHead> {
        if let completed { return .complete(completed, headLength: completedLength) }
        while let event = try reader.next(in: received) {
            switch event {
            case .startLine(let line):
                statusLine = try HTTPStatusLine(parsing: line)
            case .field:
                continue
            case .end(let headLength):
                guard let statusLine else { preconditionFailure("head ended before its status line") }
                let head = HTTPResponseHead(
                    versionMinor: statusLine.versionMinor, status: statusLine.status,
                    reason: statusLine.reason, headers: reader.headers)
                completed = head
                completedLength = headLength
                return .complete(head, headLength: headLength)
            }
        }
        return .incomplete
    }
}
