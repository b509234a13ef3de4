import Glibc

/// `wsgate bench`: runs the engine, prints the report, and turns its errors into the exit status.
///
/// Exit status: 0 clean; 1 when an echo failed verification, a server declined `--deflate` or nothing was
/// measured; 3 when the run measured something but saw other errors (refused connections, failed
/// handshakes, unexpected closes).
enum BenchRunner {
    static func run(_ options: BenchOptions) -> Int32 {
        let report: BenchReport
        do {
            report = try BenchEngine.run(options) { line in
                CommandRunner.printError("wsgate bench: " + line)
            }
        } catch {
            CommandRunner.printError("wsgate bench: \(error.description)")
            return 2
        }
        print(options.json ? report.json : report.text)
        fflush(nil)
        return exitStatus(report)
    }

    static func exitStatus(_ report: BenchReport) -> Int32 {
        let measuredNothing: Bool
        switch report.mode {
        case "idle": measuredNothing = report.connectionsUp == 0
        case "churn": measuredNothing = report.cycles == 0
        default: measuredNothing = report.messages == 0
        }
        if report.errors.verification > 0 || report.errors.deflateDeclined > 0 || measuredNothing { return 1 }
        return report.errors.total > 0 ? 3 : 0
    }
}
