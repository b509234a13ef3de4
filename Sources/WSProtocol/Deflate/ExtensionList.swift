import WSHTTP

/// One parameter of an extension offer or response: `name` or `name=value` (quotes removed).
public struct ExtensionParameter: Sendable, Equatable {
    /// Parameter name, lower-cased.
    public let name: String
    /// The value, unquoted; nil when the parameter has none.
    public let value: String?

    /// Creates a parameter.
    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// One element of a `Sec-WebSocket-Extensions` list: an extension name and its parameters.
public struct ExtensionOffer: Sendable, Equatable {
    /// Extension token, lower-cased (e.g. "permessage-deflate").
    public let name: String
    /// Parameters in the order given.
    public let parameters: [ExtensionParameter]

    /// Creates an element.
    public init(name: String, parameters: [ExtensionParameter]) {
        self.name = name
        self.parameters = parameters
    }

    /// The element as it is written in a header (`name; p; q=v`).
    public var headerValue: String {
        ([name] + parameters.map { parameter in parameter.value.map { "\(parameter.name)=\($0)" } ?? parameter.name })
            .joined(separator: "; ")
    }
}

/// Parses `Sec-WebSocket-Extensions` values (RFC 6455 §9.1, RFC 7692 §5): a comma-separated list of
/// `token *( ";" token [ "=" ( token / quoted-string ) ] )`, possibly spread over several header fields.
public enum ExtensionList {
    /// Each list element in order; a malformed element is nil, so the caller declines just that offer.
    public static func parse(_ headerValues: [String]) -> [ExtensionOffer?] {
        var elements: [ExtensionOffer?] = []
        for value in headerValues {
            for element in HTTPList.pieces(of: Array(value.utf8), separatedBy: UInt8(ascii: ",")) {
                let trimmed = trim(element)
                if trimmed.isEmpty { continue }
                elements.append(parseElement(trimmed))
            }
        }
        return elements
    }

    private static func parseElement(_ bytes: ArraySlice<UInt8>) -> ExtensionOffer? {
        let parts = HTTPList.pieces(of: Array(bytes), separatedBy: UInt8(ascii: ";")).map(trim)
        guard let first = parts.first, isToken(first) else { return nil }
        var parameters: [ExtensionParameter] = []
        for part in parts.dropFirst() {
            guard let parameter = parseParameter(part) else { return nil }
            parameters.append(parameter)
        }
        return ExtensionOffer(name: lowercased(first), parameters: parameters)
    }

    private static func parseParameter(_ part: ArraySlice<UInt8>) -> ExtensionParameter? {
        guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else {
            return isToken(part) ? ExtensionParameter(name: lowercased(part), value: nil) : nil
        }
        let name = trim(part[part.startIndex..<equals])
        var value = trim(part[(equals + 1)...])
        guard isToken(name) else { return nil }
        if value.first == UInt8(ascii: "\"") {
            guard value.count >= 2, value.last == UInt8(ascii: "\"") else { return nil }
            value = unescape(value.dropFirst().dropLast())
        }
        // RFC 7692 §5: a quoted value must still be a token once unquoted.
        guard isToken(value) else { return nil }
        return ExtensionParameter(name: lowercased(name), value: String(decoding: value, as: UTF8.self))
    }

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var out: [UInt8] = []
        var escaped = false
        for byte in bytes {
            if !escaped && byte == UInt8(ascii: "\\") {
                escaped = true
                continue
            }
            escaped = false
            out.append(byte)
        }
        return out[...]
    }

    private static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }

    private static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        HTTPToken.isValid(bytes: bytes)
    }

    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).lowercased()
    }
}
