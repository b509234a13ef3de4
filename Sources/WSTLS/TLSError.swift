import COpenSSL

/// A TLS failure: what was being done, the file involved, and OpenSSL's own explanation.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What failed, e.g. "loading certificate chain" or "handshake".
    public let operation: String
    /// The file involved, if any.
    public let path: String?
    /// A short explanation beyond OpenSSL's queue, e.g. a verification result or a system error.
    public let reason: String?
    /// The drained OpenSSL error queue, oldest first.
    public let openSSLErrors: [String]

    /// Creates an error from its parts.
    public init(operation: String, path: String? = nil, reason: String? = nil, openSSLErrors: [String] = []) {
        self.operation = operation
        self.path = path
        self.reason = reason
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        var text = "TLS: \(operation) failed"
        if let path { text += " (\(path))" }
        if let reason { text += ": \(reason)" }
        if !openSSLErrors.isEmpty { text += " [" + openSSLErrors.joined(separator: "; ") + "]" }
        return text
    }

    /// Builds an error and drains this thread's OpenSSL error queue into it, so it does not leak into later calls.
    static func capturing(_ operation: String, path: String? = nil, reason: String? = nil) -> TLSError {
        TLSError(operation: operation, path: path, reason: reason, openSSLErrors: drainOpenSSLErrors())
    }
}

/// Empties the thread's OpenSSL error queue, returning each entry as text with its extra data.
func drainOpenSSLErrors() -> [String] {
    var entries: [String] = []
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
            var entry = String(cString: buffer.baseAddress!)
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 {
                entry += " (" + String(cString: data) + ")"
            }
            entries.append(entry)
        }
    }
    return entries
}
