import Glibc

/// File-system steps of loading a configuration: reading it, resolving paths it names, checking they exist.
enum ConfigFiles {
    /// Larger files are certainly not configuration; refusing them bounds memory use.
    static let maximumFileSize = 4 << 20

    /// Reads the whole file at `path`.
    static func read(_ path: String) throws(ConfigError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open \(path)") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read \(path)")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumFileSize else {
                throw ConfigError(keyPath: "", message: "\(path) is larger than \(maximumFileSize) bytes")
            }
        }
    }

    /// The directory part of `path`, `.` when it has none.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` unchanged when absolute, else joined to `baseDirectory`.
    static func resolve(_ path: String, against baseDirectory: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty || baseDirectory == "." { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : "\(baseDirectory)/\(path)"
    }

    /// Fails unless `path` names a readable regular file, so `wsgate check` catches missing certificates.
    static func requireReadableFile(_ path: String, at keyPath: String) throws(ConfigError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("cannot use \(path)").located(at: keyPath) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConfigError(keyPath: keyPath, message: "\(path) is not a regular file")
        }
        guard access(path, R_OK) == 0 else { throw failure("cannot read \(path)").located(at: keyPath) }
    }

    private static func failure(_ context: String) -> ConfigError {
        let reason = String(cString: strerror(errno))
        return ConfigError(keyPath: "", message: "\(context): \(reason)")
    }
}
