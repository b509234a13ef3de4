/// Maps an SNI host name to the index of the certificate that serves it.
///
/// Exact names win over wildcards; `*.suffix` matches exactly one extra label; matching ignores ASCII case and a
/// trailing dot; when several certificates claim a name the earlier one wins.
struct ServerNameMatcher: Sendable {
    private var exact: [String: Int] = [:]
    private var wildcardSuffixes: [String: Int] = [:]

    /// Builds the matcher from each certificate's names, in certificate order.
    init(namesPerCertificate: [[String]]) {
        for (index, names) in namesPerCertificate.enumerated() {
            for name in names.map(Self.normalized) {
                if name.hasPrefix("*.") {
                    let suffix = String(name.dropFirst(2))
                    if !suffix.isEmpty, wildcardSuffixes[suffix] == nil { wildcardSuffixes[suffix] = index }
                } else if !name.isEmpty, exact[name] == nil {
                    exact[name] = index
                }
            }
        }
    }

    /// The index of the certificate serving `serverName`, or nil when none claims it.
    func certificateIndex(for serverName: String) -> Int? {
        let name = Self.normalized(serverName)
        if let index = exact[name] { return index }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        return wildcardSuffixes[String(name[name.index(after: dot)...])]
    }

    /// Lowercases ASCII letters and drops one trailing dot; host names are ASCII (IDNs arrive as punycode).
    static func normalized(_ name: String) -> String {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") {
            bytes[i] += 32
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
