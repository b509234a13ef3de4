import Glibc
import WSGateway

exit(CommandRunner.run(arguments: Array(CommandLine.arguments.dropFirst())))
