import Foundation
import Testing
import WSGateway

/// A configuration document with one plain listener `plain` and the given routes, defaults and extra keys.
func configDocument(
    listeners: String = #"[{"name": "plain", "address": "127.0.0.1:8080"}]"#,
    routes: String = #"[{"name": "r", "upstream": "ws://127.0.0.1:9000"}]"#,
    extra: String = ""
) -> String {
    #"{"listeners": \#(listeners), "routes": \#(routes)\#(extra.isEmpty ? "" : ", " + extra)}"#
}

/// The document with a single route made of `routeKeys` plus a name and upstream.
func configDocument(route routeKeys: String, extra: String = "") -> String {
    configDocument(routes: #"[{"name": "r", "upstream": "ws://127.0.0.1:9000", \#(routeKeys)}]"#, extra: extra)
}

/// Parses `text` as configuration with certificate paths relative to `baseDirectory`.
func parseConfig(_ text: String, baseDirectory: String = ".") throws(ConfigError) -> GatewayConfig {
    try ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: baseDirectory)
}

/// The error `text` is rejected with, or nil after recording an issue when it is accepted.
func configRejection(_ text: String, baseDirectory: String = ".") -> ConfigError? {
    do {
        let config = try parseConfig(text, baseDirectory: baseDirectory)
        Issue.record("accepted \(text) as \(config)")
        return nil
    } catch {
        return error
    }
}

/// A fresh temporary directory, removed when the returned guard is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("wsgate-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Creates a file (and its parent directories) at `relativePath`, returning its full path.
    @discardableResult
    func createFile(_ relativePath: String, contents: String = "placeholder\n") throws -> String {
        let fullPath = "\(path)/\(relativePath)"
        try FileManager.default.createDirectory(
            atPath: (fullPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: fullPath, atomically: true, encoding: .utf8)
        return fullPath
    }

    /// Creates a directory at `relativePath`, returning its full path.
    @discardableResult
    func createDirectory(_ relativePath: String) throws -> String {
        let fullPath = "\(path)/\(relativePath)"
        try FileManager.default.createDirectory(atPath: fullPath, withIntermediateDirectories: true)
        return fullPath
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
