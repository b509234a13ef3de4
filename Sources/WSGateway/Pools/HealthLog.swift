import WSIO

/// The one log line of every health transition of an upstream (`upstream_state`).
enum HealthLog {
    /// `warn` when the member stops taking connections for a fault, `info` otherwise.
    static func transition(pool: UpstreamPool, member: UpstreamMember, from: UpstreamState, to: UpstreamState,
                           detail: String) {
        Log.emit(to == .down || to == .ejected ? .warn : .info, "upstream_state", [
            "route": .string(pool.route), "upstream": .string(member.name), "from": .string(from.rawValue),
            "to": .string(to.rawValue), "detail": .string(detail),
        ])
    }
}
