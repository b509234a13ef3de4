import Glibc

/// CPU time and memory of a set of processes (a proxy's master and workers), summed, from /proc.
struct ProcessUsage: Sendable, Equatable {
    /// user + system time of all threads, in microseconds.
    var cpuMicroseconds: UInt64 = 0
    /// Resident set size, KiB.
    var rssKiB: UInt64 = 0
    /// Proportional set size (shared pages split between sharers), KiB; 0 where smaps_rollup is unreadable.
    var pssKiB: UInt64 = 0
    /// Processes that could not be read (gone, or not ours).
    var missing: [Int32] = []

    /// Sums the figures of `pids` now.
    static func sample(_ pids: [Int32]) -> ProcessUsage {
        var usage = ProcessUsage()
        let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        for pid in pids {
            guard let stat = ProcFile.read("/proc/\(pid)/stat"), let ticks = cpuTicks(stat: stat),
                let status = ProcFile.read("/proc/\(pid)/status")
            else {
                usage.missing.append(pid)
                continue
            }
            usage.cpuMicroseconds += ticks * 1_000_000 / ticksPerSecond
            usage.rssKiB += kibField("VmRSS:", in: status) ?? 0
            if let rollup = ProcFile.read("/proc/\(pid)/smaps_rollup") { usage.pssKiB += kibField("Pss:", in: rollup) ?? 0 }
        }
        return usage
    }

    /// CPU time the whole machine spent busy (every process and interrupt, all cores), in microseconds;
    /// compared with the bench's and the watched processes' own time it shows how much else ran.
    static func machineBusyMicroseconds() -> UInt64 {
        guard let stat = ProcFile.read("/proc/stat"), let line = stat.split(separator: "\n").first,
            line.hasPrefix("cpu ")
        else { return 0 }
        // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
        let fields = line.split(separator: " ").dropFirst().prefix(8).map { UInt64($0) ?? 0 }
        guard fields.count == 8 else { return 0 }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy * 1_000_000 / UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// This process's own user and system CPU time (getrusage), in microseconds.
    static func ownCPU() -> (user: UInt64, system: UInt64) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func micros(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_usec) }
        return (micros(usage.ru_utime), micros(usage.ru_stime))
    }

    /// utime + stime (fields 14 and 15) of a /proc/PID/stat line; the command name may contain spaces.
    static func cpuTicks(stat: String) -> UInt64? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return user + system
    }

    /// The number of a `Name:   123 kB` line.
    static func kibField(_ name: String, in text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let number = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return number.flatMap { UInt64($0) }
        }
        return nil
    }
}

/// Whole small files, for /proc.
private enum ProcFile {
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
