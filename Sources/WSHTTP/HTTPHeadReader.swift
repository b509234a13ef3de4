/// The part shared by request and response parsing: lines, header fields, the header count and the end.
struct HTTPHeadReader {
    enum Event {
        /// The first line (request line or status line), without CRLF.
        case startLine(UnsafeRawBufferPointer)
        /// A header field (views into the buffer).
        case field(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
        /// The empty line ending the head; the head is `headLength` bytes long and `headers` holds its fields.
        case end(headLength: Int)
    }

    private var scanner: HTTPLineScanner
    private let maxHeaderCount: Int
    private var sawStartLine = false
    /// Where the field lines start in the buffer; spans count from there.
    private var fieldsStart = 0
    private var spans: [HTTPHeaders.Span] = []
    /// The fields, copied out of the buffer in one piece once the head is complete.
    private(set) var headers = HTTPHeaders()

    init(limits: HTTPLimits, firstLineStatus: Int?) {
        scanner = HTTPLineScanner(
            maxHeadSize: limits.maxHeadSize,
            firstLineLimit: firstLineStatus.map { (limits.maxRequestLine, $0) })
        maxHeaderCount = limits.maxHeaderCount
    }

    /// The next event, or nil when more bytes are needed.
    mutating func next(in buffer: UnsafeRawBufferPointer) throws(HTTPHeadError) -> Event? {
        guard let range = try scanner.nextLine(in: buffer) else { return nil }
        let line = UnsafeRawBufferPointer(rebasing: buffer[range])
        if !sawStartLine {
            sawStartLine = true
            fieldsStart = scanner.consumed
            spans.reserveCapacity(min(maxHeaderCount, 16))
            return .startLine(line)
        }
        if line.isEmpty {
            headers = HTTPHeaders(lines: UnsafeRawBufferPointer(rebasing: buffer[fieldsStart..<range.lowerBound]), spans: spans)
            return .end(headLength: scanner.consumed)
        }
        guard spans.count < maxHeaderCount else {
            throw HTTPHeadError(status: 431, reason: "more than \(maxHeaderCount) header fields")
        }
        let field = try HTTPFieldLine.parse(line)
        let base = buffer.baseAddress! + fieldsStart
        spans.append(HTTPHeaders.Span(nameStart: field.name.baseAddress! - base, nameLength: field.name.count,
                                      valueStart: field.value.baseAddress! - base, valueLength: field.value.count))
        return .field(name: field.name, value: field.value)
    }
}
