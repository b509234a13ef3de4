/// What one event loop of the bench counted; loop-confined while running, merged after the loops stop.
///
/// Messages, bytes, handshakes and latencies count only inside the measured window; errors count over
/// the whole run, warm-up included, since any of them makes the figures suspect.
final class BenchStats {
    var messages: UInt64 = 0
    var payloadBytes: UInt64 = 0
    /// Payload bytes of the echoes verified, as their frames carried them (compressed, with `--deflate`).
    var wireBytesReceived: UInt64 = 0
    /// Payload bytes of the messages sent inside the window, before compression and on the wire.
    var payloadBytesSent: UInt64 = 0
    var wireBytesSent: UInt64 = 0
    /// The server's permessage-deflate answer, as first seen.
    var agreement: String?
    let latency = LatencyHistogram()
    /// Upgrades completed (the 101 validated).
    var handshakes: UInt64 = 0
    /// From connect() to the validated 101.
    let handshakeLatency = LatencyHistogram()
    /// Churn cycles that ended with a clean close handshake.
    var cycles: UInt64 = 0
    /// Upgrades (inside the window) whose TLS handshake resumed an earlier session.
    var resumedSessions: UInt64 = 0
    var pingsAnswered: UInt64 = 0
    var errors = BenchErrors()
    /// The first few failures in words, so a report says why, not only how often.
    private(set) var errorSamples: [String] = []
    static let maxErrorSamples = 8

    /// Keeps a description of a failure while there are fewer than `maxErrorSamples`.
    func note(_ detail: @autoclosure () -> String) {
        if errorSamples.count < Self.maxErrorSamples { errorSamples.append(detail()) }
    }

    func merge(_ other: BenchStats) {
        messages &+= other.messages
        payloadBytes &+= other.payloadBytes
        wireBytesReceived &+= other.wireBytesReceived
        payloadBytesSent &+= other.payloadBytesSent
        wireBytesSent &+= other.wireBytesSent
        agreement = agreement ?? other.agreement
        latency.merge(other.latency)
        handshakes &+= other.handshakes
        handshakeLatency.merge(other.handshakeLatency)
        cycles &+= other.cycles
        resumedSessions &+= other.resumedSessions
        pingsAnswered &+= other.pingsAnswered
        errors.merge(other.errors)
        for sample in other.errorSamples { note(sample) }
    }
}

/// Failures seen by the bench, by kind.
public struct BenchErrors: Sendable, Equatable {
    /// connect() refused, unreachable or failed to start (EMFILE, EADDRNOTAVAIL…).
    public var connect: UInt64 = 0
    /// TLS handshakes that failed.
    public var tls: UInt64 = 0
    /// Upgrade answers other than 101, by status code.
    public var handshakeStatus: [Int: UInt64] = [:]
    /// 101 answers that do not complete a valid upgrade (wrong accept key, missing headers, garbage).
    public var handshakeInvalid: UInt64 = 0
    /// Connections that ended or timed out (10 s) before the upgrade's answer arrived.
    public var handshakeAborted: UInt64 = 0
    /// Echoes whose content, length, type or order differed from what was sent.
    public var verification: UInt64 = 0
    /// Connections the server closed while the bench still used them, by close code (1006: no close frame).
    public var unexpectedClose: [UInt16: UInt64] = [:]
    /// Upgrades (with `--deflate`) whose 101 did not agree to permessage-deflate.
    public var deflateDeclined: UInt64 = 0
    /// Frames from the server that break RFC 6455 (masked, reserved bits, oversized control frames).
    public var protocolViolations: UInt64 = 0
    /// Close handshakes (churn) the server did not finish in time.
    public var closeTimeouts: UInt64 = 0

    /// Every failure of any kind.
    public var total: UInt64 {
        connect + tls + handshakeStatus.values.reduce(0, +) + handshakeInvalid + handshakeAborted + verification + deflateDeclined
            + unexpectedClose.values.reduce(0, +) + protocolViolations + closeTimeouts
    }

    mutating func merge(_ other: BenchErrors) {
        connect += other.connect
        tls += other.tls
        handshakeStatus.merge(other.handshakeStatus, uniquingKeysWith: +)
        handshakeInvalid += other.handshakeInvalid
        handshakeAborted += other.handshakeAborted
        verification += other.verification
        deflateDeclined += other.deflateDeclined
        unexpectedClose.merge(other.unexpectedClose, uniquingKeysWith: +)
        protocolViolations += other.protocolViolations
        closeTimeouts += other.closeTimeouts
    }
}
