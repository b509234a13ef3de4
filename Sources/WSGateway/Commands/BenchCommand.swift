/// `wsgate bench`: the load generator (see Bench/).
enum BenchCommand {
    static func run(_ options: BenchOptions) -> Int32 {
        BenchRunner.run(options)
    }
}
