/// Finds CRLF-terminated lines in a growing buffer without rescanning bytes already checked.
///
/// The caller re-passes all bytes received since the head started, each time at least as many as before.
/// Every byte is checked once for NUL and stray CR/LF; limits fail as soon as enough bytes prove them broken.
struct HTTPLineScanner {
    private let maxHeadSize: Int
    /// Limit for the first line including its CRLF, with the status to fail with; nil for no separate limit.
    private let firstLineLimit: (length: Int, status: Int)?
    private var scanOffset = 0
    private var lineStart = 0

    init(maxHeadSize: Int, firstLineLimit: (length: Int, status: Int)?) {
        self.maxHeadSize = maxHeadSize
        self.firstLineLimit = firstLineLimit
    }

    /// Offset just past the last line returned.
    var consumed: Int { lineStart }

    /// The next complete line (without CRLF) as a range of `buffer`, or nil when more bytes are needed.
    mutating func nextLine(in buffer: UnsafeRawBufferPointer) throws(HTTPHeadError) -> Range<Int>? {
        precondition(buffer.count >= scanOffset, "the received buffer shrank between parse calls")
        let inFirstLine = lineStart == 0
        var end = min(buffer.count, maxHeadSize)
        if inFirstLine, let limit = firstLineLimit { end = min(end, limit.length) }

        var index = scanOffset
        while index < end {
            // CR, LF and NUL are below 0x0E: a word with no such byte holds none of them.
            if end - index >= 8 && !SWAR.hasByteBelow(0x0E, in: buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            switch buffer[index] {
            case HTTPSyntax.cr:
                guard index + 1 < end else {
                    scanOffset = index
                    return try needMore(received: buffer.count, inFirstLine: inFirstLine)
                }
                guard buffer[index + 1] == HTTPSyntax.lf else { throw .badRequest("bare CR in head") }
                let line = lineStart..<index
                lineStart = index + 2
                scanOffset = lineStart
                return line
            case HTTPSyntax.lf:
                throw .badRequest("bare LF in head")
            case 0:
                throw .badRequest("NUL byte in head")
            default:
                index += 1
            }
        }
        scanOffset = index
        return try needMore(received: buffer.count, inFirstLine: inFirstLine)
    }

    /// Returns nil, or fails when the bytes already received can no longer fit within the limits.
    private func needMore(received: Int, inFirstLine: Bool) throws(HTTPHeadError) -> Range<Int>? {
        if inFirstLine, let limit = firstLineLimit, received >= limit.length {
            throw HTTPHeadError(status: limit.status, reason: "first line longer than \(limit.length) bytes")
        }
        if received >= maxHeadSize {
            throw HTTPHeadError(status: 431, reason: "head longer than \(maxHeadSize) bytes")
        }
        return nil
    }
}
