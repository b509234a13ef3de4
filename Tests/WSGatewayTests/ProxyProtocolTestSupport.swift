import WSGateway

/// Parses `bytes` as a PROXY protocol header.
func parseProxyHeader(_ bytes: [UInt8]) -> ProxyProtocolResult {
    bytes.withUnsafeBytes { ProxyProtocolParser.parse($0) }
}

/// The parse result as text, so tests can compare outcomes in one expectation.
func describe(_ result: ProxyProtocolResult) -> String {
    switch result {
    case .incomplete: "incomplete"
    case .invalid: "invalid"
    case .header(let length, let source, let destination):
        "header \(length) \(source?.description ?? "-") \(destination?.description ?? "-")"
    }
}

/// The reason of an invalid result, or "" otherwise.
func invalidReason(_ result: ProxyProtocolResult) -> String {
    if case .invalid(let reason) = result { return reason }
    return ""
}

/// A version 2 header: signature, version/command byte, family/transport byte, length, then `body`.
func proxyV2(command: UInt8 = 0x21, family: UInt8, body: [UInt8]) -> [UInt8] {
    [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, command, family,
     UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
}
