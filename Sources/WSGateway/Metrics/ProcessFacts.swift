/// What a report says besides the loops' counters: the process, its age and its readiness.
struct ProcessFacts {
    var version: String
    var startedAtUnixSeconds: Double
    var uptimeSeconds: Double
    var ready: Bool
    var openFileDescriptors: Int?
    var residentMemoryBytes: Int?
}
