/// Where a connection stands in trying its pool's members, until one answers 101. A class held only
/// during the upstream handshake, so an established connection carries one empty reference for it.
final class UpstreamAttempts {
    /// Attempts started, and the pool positions they went to (bit per position).
    var count = 0
    var tried: UInt64 = 0
    /// Monotonic milliseconds by which some upstream must have answered: `connect_timeout` plus
    /// `handshake_timeout` from the first attempt, which retries share.
    var deadlineAt: UInt64 = 0
    /// What a hashing pool hashes for this request.
    var balanceKey: String?
    /// What each attempt's upgrade request is built from (the Host header follows the member).
    let target: String
    let credentials: AuthSuccess?
    let withholdSubprotocols: Bool
    /// Why the latest attempt failed, and where: what the client is told when no other member can be tried.
    var lastFailure: UpstreamFailure?
    var failedMemberName = ""

    init(target: String, credentials: AuthSuccess?, withholdSubprotocols: Bool) {
        self.target = target
        self.credentials = credentials
        self.withholdSubprotocols = withholdSubprotocols
    }
}

/// Why one upstream attempt failed.
struct UpstreamFailure {
    /// 502 or 504 for the client.
    var status: Int
    var reason: String
    var detail: String
    /// The status the upstream answered instead of 101, if it answered.
    var upstreamStatus: Int?

    /// Whether the upstream is at fault, so the attempt counts against it (ejection) and another member is
    /// tried. A 4xx answer other than 429 refuses this request, not every request: it is final and does
    /// not eject.
    var blamesUpstream: Bool {
        guard let upstreamStatus else { return true }
        return !(400...499).contains(upstreamStatus) || upstreamStatus == 429
    }
}
