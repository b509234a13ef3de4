/// Reading and rewriting `Cookie` request headers (`name=value; name2=value2`, RFC 6265 section 5.4).
enum CookieHeader {
    /// Values of every cookie called `name` across `headerValues`, in order, with one pair of surrounding
    /// double quotes removed.
    static func values(of name: String, in headerValues: [String]) -> [Substring] {
        var values: [Substring] = []
        for header in headerValues {
            for pair in pairs(header) where pair.name == name {
                var value = pair.value
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
                values.append(value)
            }
        }
        return values
    }

    /// One `Cookie` value holding every cookie of `headerValues` except those called `name`, or nil when
    /// none is left.
    static func removing(_ name: String, from headerValues: [String]) -> String? {
        var kept: [Substring] = []
        for header in headerValues {
            for pair in pairs(header) where pair.name != name { kept.append(pair.text) }
        }
        return kept.isEmpty ? nil : kept.joined(separator: "; ")
    }

    private static func pairs(_ header: String) -> [(name: Substring, value: Substring, text: Substring)] {
        header.split(separator: ";").compactMap { rawPair in
            let pair = trimmed(rawPair)
            guard !pair.isEmpty else { return nil }
            guard let equals = pair.firstIndex(of: "=") else { return (pair, pair[pair.endIndex...], pair) }
            return (trimmed(pair[..<equals]), trimmed(pair[pair.index(after: equals)...]), pair)
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}
