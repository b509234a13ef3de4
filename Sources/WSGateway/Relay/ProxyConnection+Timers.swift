import WSIO
import WSProtocol

/// Keepalive and idle checks compare counters when their timer fires, so the per-message path never
/// touches a timer.
extension ProxyConnection {
    func timerFired(kind: Int32) {
        switch TimerKind(rawValue: kind) {
        case .deadline:
            deadline = .none
            deadlinePassed()
        case .keepalive:
            keepaliveTimer = .none
            keepaliveTick()
        case .idle:
            idleTimer = .none
            idleTick()
        case .clientThrottle:
            clientThrottle = .none
            resumeThrottled(client)
        case .upstreamThrottle:
            upstreamThrottle = .none
            resumeThrottled(upstream)
        case .retry:
            retryTimer = .none
            if state == .readingProxyHeader {
                readProxyHeader()
            } else if state == .connectingUpstream, upstream.fd < 0, let route {
                connectUpstream(route)
            }
        case .retire:
            retireTimer = .none
            if state == .open {
                closedBy = "gateway"
                split(toClient: (CloseCode.goingAway.rawValue, "route removed"),
                      toUpstream: (CloseCode.goingAway.rawValue, "route removed"))
            }
        case .drain:
            drainTimer = .none
            drainGraceOver()
        case nil: break
        }
        if state != .finished { updateInterest() }
    }

    private func deadlinePassed() {
        switch state {
        case .readingProxyHeader, .tlsHandshake, .readingRequest:
            // A slowloris client: dropped without an answer, like nginx's client_header_timeout.
            context.stats.handshakeTimeouts &+= 1
            closedBy = "timeout"
            Log.debug("handshake_timeout", ["listener": .string(listener.name), "client": .string(clientAddress.host)])
            abortConnection()
        case .awaitingAuthMessage:
            context.stats.authRejections &+= 1
            closeClientEarly(code: CloseCode.policyViolation.rawValue, reason: "authentication timeout")
        case .connectingUpstream, .upstreamTLSHandshake:
            attemptFailed(UpstreamFailure(status: 504, reason: "upstream connect timed out", detail: "connect timeout"))
        case .upstreamHandshake:
            attemptFailed(UpstreamFailure(status: 504, reason: "upstream did not answer the upgrade in time",
                                          detail: "handshake timeout"))
        case .open:
            break
        case .closing, .rejecting, .lingering:
            if closedBy.isEmpty { closedBy = "timeout" }
            abortConnection()
        case .finished:
            break
        }
    }

    func startKeepalive() {
        guard let policy = route?.policy else { return }
        if policy.pingMilliseconds > 0 {
            clientBytesAtLastPing = c2u.bytesIn
            keepaliveTimer = loop.schedule(afterMilliseconds: policy.pingMilliseconds, target: self,
                                           kind: TimerKind.keepalive.rawValue)
        }
        if policy.idleMilliseconds > 0 {
            idleTimer = loop.schedule(afterMilliseconds: idleCheckInterval(policy), target: self,
                                      kind: TimerKind.idle.rawValue)
        }
    }

    private func idleCheckInterval(_ policy: RoutePolicy) -> UInt64 { max(10, policy.idleMilliseconds / 4) }

    /// Pings a client that sent nothing for a whole interval; no pong by the next tick closes it.
    private func keepaliveTick() {
        guard state == .open, let policy = route?.policy else { return }
        if awaitingPong {
            context.stats.keepaliveTimeouts &+= 1
            closedBy = "gateway"
            Log.info("keepalive_timeout", ["route": .string(route?.name ?? ""), "client": .string(clientAddress.host)])
            split(toClient: (CloseCode.internalError.rawValue, "keepalive timeout"),
                  toUpstream: (CloseCode.goingAway.rawValue, "client keepalive timeout"))
            return
        }
        var next = policy.pingMilliseconds
        if c2u.bytesIn == clientBytesAtLastPing && sendPing() {
            awaitingPong = true
            next = policy.pongMilliseconds
        }
        clientBytesAtLastPing = c2u.bytesIn
        keepaliveTimer = loop.schedule(afterMilliseconds: next, target: self, kind: TimerKind.keepalive.rawValue)
    }

    /// Queues a ping carrying a fresh 8-byte token toward the client; false if a frame is in flight.
    private func sendPing() -> Bool {
        pingToken = UInt64(maskKeys.next()) << 32 | UInt64(maskKeys.next())
        var token = pingToken
        let queued = u2c.inject(size: 10) { out in
            withUnsafeBytes(of: &token) { payload in
                FrameWriter.writeControlFrame(into: out, opcode: WSOpcode.ping, payload: payload, maskKey: nil)
            }
        }
        guard queued else { return false }
        context.stats.pingsSent &+= 1
        flushToward(client)
        return true
    }

    private func idleTick() {
        guard state == .open, let policy = route?.policy else { return }
        let messages = c2u.messages &+ u2c.messages
        if messages != messagesAtLastIdleCheck {
            messagesAtLastIdleCheck = messages
            lastMessageTime = loop.nowMilliseconds
        } else if loop.nowMilliseconds &- lastMessageTime >= policy.idleMilliseconds {
            context.stats.idleTimeouts &+= 1
            closedBy = "gateway"
            split(toClient: (CloseCode.goingAway.rawValue, "idle timeout"),
                  toUpstream: (CloseCode.goingAway.rawValue, "idle timeout"))
            return
        }
        idleTimer = loop.schedule(afterMilliseconds: idleCheckInterval(policy), target: self, kind: TimerKind.idle.rawValue)
    }

    /// A reload removed this connection's route: it may finish within the grace period, then gets 1001.
    func retire(afterMilliseconds milliseconds: UInt64) {
        guard !retireTimer.isScheduled, state != .finished else { return }
        retireTimer = loop.schedule(afterMilliseconds: milliseconds, target: self, kind: TimerKind.retire.rawValue)
    }
}
