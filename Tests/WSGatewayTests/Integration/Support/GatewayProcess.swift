import Foundation
import Glibc

/// A `wsgate` child process, for tests where the whole process matters (memory, signals, exit status).
final class GatewayProcess {
    let process = Process()
    /// Where its stdout and stderr go, for failure messages.
    let logPath: String

    /// Starts `wsgate arguments` and waits until `readyPort` accepts connections.
    init(arguments: [String], readyPort: UInt16, timeout: Double = 10) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("wsgate-itest-\(UUID().uuidString).log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw TestSocketError(description: "cannot create \(logPath)")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.binaryPath)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
        let deadline = Deadline.after(timeout)
        while true {
            if (try? TestSocket.connect(port: readyPort, timeout: 1)) != nil { return }
            guard process.isRunning, !deadline.passed else {
                throw TestSocketError(description: "wsgate \(arguments) did not start listening on \(readyPort): \(output)")
            }
            usleep(20_000)
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Everything the process printed so far.
    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Resident memory in KiB (`VmRSS` in /proc/PID/status).
    func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) })
        else { throw TestSocketError(description: "no VmRSS in /proc/\(pid)/status") }
        return value
    }

    func send(signal: Int32) { kill(pid, signal) }

    /// The exit status, or nil if it is still running after `timeout` seconds.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Deadline.after(timeout)
        while process.isRunning {
            if deadline.passed { return nil }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}

/// A configuration file in a temporary directory, removed when dropped.
final class TemporaryConfig {
    let path: String

    init(_ json: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("wsgate-itest-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
