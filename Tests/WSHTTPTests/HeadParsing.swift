import WSHTTP

/// Lets the tests drive request and response parsers the same way.
protocol HeadParser {
    associatedtype Head: Sendable & Equatable
    init(limits: HTTPLimits)
    mutating func parse(_ received: UnsafeRawBufferPointer) throws(HTTPHeadError) -> HTTPHeadParseResult<Head>
}

extension HTTPRequestHeadParser: HeadParser {}
extension HTTPResponseHeadParser: HeadParser {}

/// Outcome of feeding bytes in some pattern: a parse result or the error thrown.
enum Outcome<Head: Sendable & Equatable>: Equatable {
    case result(HTTPHeadParseResult<Head>)
    case failure(HTTPHeadError)

    var error: HTTPHeadError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var head: Head? {
        if case .result(.complete(let head, _)) = self { return head }
        return nil
    }

    var headLength: Int? {
        if case .result(.complete(_, let length)) = self { return length }
        return nil
    }
}

extension HeadParser {
    /// Parses each of `prefixLengths` prefixes of `bytes` in turn with one parser; the last outcome wins,
    /// and the first error stops feeding.
    static func feed(_ bytes: [UInt8], prefixLengths: [Int], limits: HTTPLimits = .default) -> Outcome<Head> {
        var parser = Self(limits: limits)
        var last: HTTPHeadParseResult<Head> = .incomplete
        for length in prefixLengths {
            let step = bytes.withUnsafeBytes { all in
                Result { () throws(HTTPHeadError) in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: all[..<length]))
                }
            }
            switch step {
            case .success(let result): last = result
            case .failure(let error): return .failure(error)
            }
        }
        return .result(last)
    }

    /// All bytes at once.
    static func whole(_ bytes: [UInt8], limits: HTTPLimits = .default) -> Outcome<Head> {
        feed(bytes, prefixLengths: [bytes.count], limits: limits)
    }

    /// One more byte on every call.
    static func byteByByte(_ bytes: [UInt8], limits: HTTPLimits = .default) -> Outcome<Head> {
        feed(bytes, prefixLengths: Array(0...bytes.count), limits: limits)
    }

    static func whole(_ text: String, limits: HTTPLimits = .default) -> Outcome<Head> {
        whole(Array(text.utf8), limits: limits)
    }
}

typealias RequestParsing = HTTPRequestHeadParser
typealias ResponseParsing = HTTPResponseHeadParser
