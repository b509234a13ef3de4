import WSHTTP

/// The shape both head parsers share, so one harness drives either.
protocol IncrementalHeadParser {
    associatedtype Head: Equatable & Sendable
    init(limits: HTTPLimits)
    mutating func parse(_ received: UnsafeRawBufferPointer) throws(HTTPHeadError) -> HTTPHeadParseResult<Head>
}

extension HTTPRequestHeadParser: IncrementalHeadParser {}
extension HTTPResponseHeadParser: IncrementalHeadParser {}

/// What an incremental parse of some input ended with.
enum HeadOutcome<Head: Equatable>: Equatable {
    case incomplete
    case complete(Head, headLength: Int)
    case failed(HTTPHeadError)

    /// Feeds `input` to a fresh parser as a growing buffer ending at each of `prefixEnds` in turn.
    static func parse<Parser: IncrementalHeadParser>(
        _ parserType: Parser.Type, _ input: UnsafeRawBufferPointer, prefixEnds: [Int]
    ) -> HeadOutcome<Parser.Head> where Parser.Head == Head {
        var parser = Parser(limits: .default)
        for end in prefixEnds {
            do throws(HTTPHeadError) {
                if case .complete(let head, let length) = try parser.parse(UnsafeRawBufferPointer(rebasing: input[..<end])) {
                    return .complete(head, headLength: length)
                }
            } catch {
                return .failed(error)
            }
        }
        return .incomplete
    }
}
