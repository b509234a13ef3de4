import CFuzzDriver
import Glibc

/// The C signature of `LLVMFuzzerTestOneInput`, which every fuzz target defines with `@_cdecl`.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Runs a fuzz target's `main`.
///
/// Built by `scripts/fuzz` (`-sanitize=fuzzer,address -DWSGATE_FUZZ`) it hands control to libFuzzer with the
/// command line. In an ordinary build there is no fuzzer runtime to link, so it replays the files (or the
/// files in the directories) named on the command line once each, which reproduces a saved crash input
/// under a debugger.
public enum FuzzDriver {
    /// Fuzzes (sanitizer builds) or replays the inputs named on the command line; never returns.
    public static func main(_ callback: FuzzCallback) -> Never {
        #if WSGATE_FUZZ
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
        #else
        let paths = Array(CommandLine.arguments.dropFirst())
        guard !paths.isEmpty else {
            print("usage: \(CommandLine.arguments[0]) FILE|DIRECTORY...  (replays inputs; scripts/fuzz builds the fuzzer)")
            exit(2)
        }
        var replayed = 0
        for path in paths {
            for file in FuzzFiles.expand(path) {
                guard let bytes = FuzzFiles.read(file) else {
                    print("cannot read \(file)")
                    exit(1)
                }
                _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
                replayed += 1
            }
        }
        print("replayed \(replayed) inputs without a failure")
        exit(0)
        #endif
    }
}
