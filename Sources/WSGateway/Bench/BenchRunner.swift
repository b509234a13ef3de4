/// The load generator; being written.
enum BenchRunner {
    static func run(_ options: BenchOptions) -> Int32 {
        CommandRunner.printError("wsgate bench: not built yet")
        return 1
    }
}
