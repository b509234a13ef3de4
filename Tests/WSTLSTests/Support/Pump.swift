import Glibc

/// What one actor in a `pump` did in a step.
enum PumpStep {
    /// Made progress; step again.
    case progressed
    /// Blocked until its socket is readable.
    case waitRead
    /// Blocked until its socket is writable.
    case waitWrite
    /// Done; never step again.
    case finished
    /// Stop the whole pump (e.g. a handshake failed, so the peer would wait forever).
    case stopAll
}

struct PumpTimedOut: Error, CustomStringConvertible {
    var description: String { "pump: no progress within the time limit" }
}

/// Steps each actor (a socket and a step function) until all finish, polling when all are blocked.
func pump(_ actors: [(fd: Int32, step: () -> PumpStep)], timeoutMilliseconds: Int32 = 10_000) throws {
    var finished = [Bool](repeating: false, count: actors.count)
    while finished.contains(false) {
        var waits: [pollfd] = []
        var progressed = false
        for (index, actor) in actors.enumerated() where !finished[index] {
            switch actor.step() {
            case .progressed: progressed = true
            case .waitRead: waits.append(pollfd(fd: actor.fd, events: Int16(POLLIN), revents: 0))
            case .waitWrite: waits.append(pollfd(fd: actor.fd, events: Int16(POLLOUT), revents: 0))
            case .finished: finished[index] = true
            case .stopAll: return
            }
        }
        if progressed || waits.isEmpty { continue }
        let ready = poll(&waits, nfds_t(waits.count), timeoutMilliseconds)
        if ready == 0 { throw PumpTimedOut() }
    }
}
