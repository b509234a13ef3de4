/// The part shared by request and response parsing: lines, header fields, the header count and the end.
struct HTTPHeadReader {
    enum Event {
        /// The first line (request line or status line), without CRLF.
        case startLine(UnsafeRawBufferPointer)
        /// A header field (views into the buffer), already appended to `headers`.
        case field(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
        /// The empty line ending the head; the head is `headLength` bytes long.
        case end(headLength: Int)
    }

    /// The most field bytes reserved up front; larger heads grow the storage as they arrive.
    private static let initialFieldBytes = 4096

    private var scanner: HTTPLineScanner
    private let maxHeaderCount: Int
    private var sawStartLine = false
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
            // The fields are at most what follows the start line (usually the whole head came in one read).
            headers.reserveCapacity(byteCount: min(buffer.count - scanner.consumed, Self.initialFieldBytes),
                                    fieldCount: min(maxHeaderCount, 16))
            return .startLine(line)
        }
        if line.isEmpty { return .end(headLength: scanner.consumed) }
        guard headers.count < maxHeaderCount else {
            throw HTTPHeadError(status: 431, reason: "more than \(maxHeaderCount) header fields")
        }
        let field = try HTTPFieldLine.parse(line)
        headers.append(name: field.name, value: field.value)
        return .field(name: field.name, value: field.value)
    }
}
