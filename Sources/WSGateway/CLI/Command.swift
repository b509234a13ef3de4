/// What the `wsgate` executable was asked to do.
public enum Command: Sendable, Equatable {
    /// No arguments: the embedded development configuration.
    case runDefault
    /// Run the gateway from a configuration file, optionally overriding its worker count, admin address and log level.
    case run(configPath: String, workers: Int?, operations: OperationsOptions = OperationsOptions())
    /// Validate a configuration file and exit.
    case check(configPath: String)
    /// Forward one listen address to one upstream without a configuration file.
    case proxy(ProxyOptions)
    /// Run the built-in echo server.
    case echo(EchoOptions)
    /// Load-test a WebSocket endpoint.
    case bench(BenchOptions)
    /// Print the version.
    case version
    /// Print this usage text and exit successfully.
    case help(String)
}

/// A command line that could not be understood.
public struct CLIError: Error, Equatable, CustomStringConvertible {
    /// What was wrong, naming the offending flag or argument.
    public let message: String
    /// Usage text of the command concerned, to print after the message.
    public let usage: String

    /// Creates an error.
    public init(message: String, usage: String) {
        self.message = message
        self.usage = usage
    }

    /// The message followed by the usage text.
    public var description: String { "wsgate: \(message)\n\n\(usage)" }
}
