import Glibc

/// The few file operations `DevCertificate` needs, with errors naming the path.
enum FileIO {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates `path` and its missing parents, owner-only (a key will live there).
    static func makeDirectories(_ path: String) throws(TLSError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw systemError("creating directory", path: prefix)
            }
        }
    }

    /// Writes `bytes` to a temporary file with `mode` and renames it over `path`, so readers never see half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(TLSError) {
        let temporaryPath = path + ".tmp"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw systemError("creating file", path: temporaryPath) }
        var written = 0
        // The umask may have narrowed the mode, and an old temporary file may have kept a wider one.
        var failed = fchmod(fd, mode) != 0
        while !failed && written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result > 0 {
                written += result
            } else if result == 0 || errno != EINTR {
                failed = true
            }
        }
        if failed || fsync(fd) != 0 {
            let error = systemError("writing file", path: temporaryPath)
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        close(fd)
        guard rename(temporaryPath, path) == 0 else {
            let error = systemError("renaming file into place", path: path)
            unlink(temporaryPath)
            throw error
        }
    }

    private static func systemError(_ operation: String, path: String) -> TLSError {
        TLSError(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
