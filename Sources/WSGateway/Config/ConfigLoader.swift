import WSJSON

/// Reads and validates configuration files.
public enum ConfigLoader {
    /// Loads the file at `path`, resolving relative certificate paths against its directory.
    public static func load(path: String) throws(ConfigError) -> GatewayConfig {
        let bytes = try ConfigFiles.read(path)
        do throws(ConfigError) {
            return try parse(bytes: bytes, baseDirectory: ConfigFiles.directory(of: path))
        } catch where error.keyPath.isEmpty {
            throw ConfigError(keyPath: "", message: "\(path): \(error.message)")
        }
    }

    /// Parses and validates a configuration document; relative certificate paths are resolved against
    /// `baseDirectory` (empty or `.` keeps them relative to the working directory).
    public static func parse(bytes: [UInt8], baseDirectory: String) throws(ConfigError) -> GatewayConfig {
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONParser.parse(bytes)
        } catch {
            let (line, column) = lineAndColumn(of: error.offset, in: bytes)
            throw ConfigError(keyPath: "", message: "invalid JSON at line \(line), column \(column): \(error.message)")
        }
        return try ConfigDecoder(baseDirectory: baseDirectory).decode(document)
    }

    /// 1-based line and byte column of `offset`, for pointing editors at JSON syntax errors.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (line, offset - lineStart + 1)
    }
}
