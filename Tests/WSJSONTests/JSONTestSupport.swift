import Testing
import WSJSON

/// Parses `text`, recording an issue and returning nil when it is rejected.
func parsed(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONValue? {
    do {
        return try JSONParser.parse(text, maxDepth: maxDepth)
    } catch {
        Issue.record("rejected \(text): \(error)")
        return nil
    }
}

/// The error `bytes` are rejected with, or nil (after recording an issue) when they are accepted.
func rejection(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    do {
        let value = try JSONParser.parse(bytes, maxDepth: maxDepth)
        Issue.record("accepted \(bytes) as \(value)")
        return nil
    } catch {
        return error
    }
}

/// The error `text` is rejected with, or nil (after recording an issue) when it is accepted.
func rejection(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    rejection(Array(text.utf8), maxDepth: maxDepth)
}
