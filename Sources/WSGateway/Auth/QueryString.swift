/// The query part of a request target, read as `&`-separated `name=value` pairs (RFC 3986
/// percent-decoding only: `+` stays `+`, as tokens may contain it).
enum QueryString {
    /// Percent-decoded values of every parameter whose decoded name is `name`; nil marks a value with a
    /// broken escape.
    static func values(of name: String, in target: String) -> [[UInt8]?] {
        guard let query = query(of: target) else { return [] }
        var values: [[UInt8]?] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (pairName, value) = split(pair)
            guard decode(pairName.utf8).map({ $0.elementsEqual(name.utf8) }) == true else { continue }
            values.append(decode(value.utf8))
        }
        return values
    }

    /// `target` without any parameter called `name`; the others keep their bytes and order, and the `?`
    /// goes when nothing is left.
    static func removing(parameter name: String, from target: String) -> String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        let path = target[..<mark]
        let kept = target[target.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
            .filter { pair in decode(split(pair).name.utf8).map { $0.elementsEqual(name.utf8) } != true }
        return kept.isEmpty ? String(path) : "\(path)?\(kept.joined(separator: "&"))"
    }

    private static func query(of target: String) -> Substring? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: mark)...]
    }

    private static func split(_ pair: Substring) -> (name: Substring, value: Substring) {
        guard let equals = pair.firstIndex(of: "=") else { return (pair, pair[pair.endIndex...]) }
        return (pair[..<equals], pair[pair.index(after: equals)...])
    }

    /// Percent-decodes `text`; nil when a `%` is not followed by two hexadecimal digits.
    static func decode(_ text: Substring.UTF8View) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard index < text.endIndex, let high = hexValue(text[index]) else { return nil }
            index = text.index(after: index)
            guard index < text.endIndex, let low = hexValue(text[index]) else { return nil }
            index = text.index(after: index)
            output.append(high << 4 | low)
        }
        return output
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
