import Glibc

/// Fails the current input when a property does not hold: prints what was seen and aborts, which libFuzzer
/// reports as a crash and saves the input for.
public func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line, file: StaticString = #fileID) {
    guard !condition else { return }
    let text = "property failed at \(file):\(line): \(message())\n"
    _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    abort()
}
