import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// The way to an upstream: pick a pool member, connect (TCP, then TLS for `wss://`), send the upgrade and
/// read the 101. A failed attempt is reported to the member (passive health) and, while the client has
/// not been answered, retried on another member within the same deadline, so the client never sees it.
extension ProxyConnection {
    /// Remembers what the upstream request is built from; each attempt builds it for its member.
    func prepareUpstreamRequest(route: RouteRuntime, target: String, credentials: AuthSuccess?,
                                withholdSubprotocols: Bool = false) {
        guard let upgrade else { return }
        let attempts = UpstreamAttempts(target: target, credentials: credentials, withholdSubprotocols: withholdSubprotocols)
        self.attempts = attempts
        offeredSubprotocols = withholdSubprotocols ? [] : credentials?.forwardedSubprotocols(upgrade.subprotocols) ?? upgrade.subprotocols
        attempts.balanceKey = route.pool.balanceKey(client: clientAddress, head: upgrade.head, identity: credentials?.identity)
    }

    /// The upgrade request for `member`: the client's end-to-end headers, forwarding headers, what
    /// authentication adds or removes (identity headers in, credentials out), and the client's own key.
    /// The key is the client's random nonce for this connection, checked canonical; sending it on (as
    /// nginx and HAProxy do) makes the upstream's accept value the one the client expects, so one SHA-1
    /// serves both handshakes.
    private func buildUpstreamRequest(for member: UpstreamMember, _ attempts: UpstreamAttempts) {
        guard let upgrade else { return }
        let credentials = attempts.credentials
        let withhold = attempts.withholdSubprotocols
        var remove = credentials?.removeHeaders ?? []
        if withhold { remove.insert("sec-websocket-protocol") }
        let add = credentials?.addHeaders ?? []
        pendingHead = UpstreamRequestBuilder.build(
            client: upgrade, upstreamAuthority: member.authority,
            target: credentials?.upstreamTarget(attempts.target) ?? attempts.target, key: upgrade.key,
            forwarding: ForwardingInfo(clientAddress: clientAddress.host, scheme: listener.tls == nil ? "http" : "https"),
            removeHeaders: remove,
            addHeaders: (withhold ? add.filter { $0.0.lowercased() != "sec-websocket-protocol" } : add)
                + (route.map { deflateOfferHeaders(route: $0) } ?? []))
        pendingHeadOffset = 0
    }

    /// Starts an attempt on the member the balancer picks; with none left, the client gets 503 (no
    /// attempt was made) or the last attempt's failure.
    func connectUpstream(_ route: RouteRuntime) {
        guard let attempts else { preconditionFailure("connectUpstream before prepareUpstreamRequest") }
        let now = loop.nowMilliseconds
        if attempts.count == 0 {
            attempts.deadlineAt = now + route.policy.connectMilliseconds + route.policy.handshakeMilliseconds
        }
        guard let position = route.pool.pick(key: attempts.balanceKey, tried: attempts.tried, nowMilliseconds: now) else {
            if let failure = attempts.lastFailure { upstreamFailed(failure) } else { noHealthyUpstream(route) }
            return
        }
        let member = route.pool.members[position]
        if let failure = attempts.lastFailure {
            route.pool.retriesTotal.add(1, ordering: .relaxed)
            Log.info("upstream_retry", ["route": .string(route.name), "client": .string(clientAddress.host),
                                        "failed": .string(attempts.failedMemberName), "reason": .string(failure.reason),
                                        "next": .string(member.name), "attempt": .int(attempts.count + 1)])
        }
        attempts.tried |= 1 << UInt64(position)
        attempts.count += 1
        self.member = member
        member.acquire()
        buildUpstreamRequest(for: member, attempts)
        let writesAtOnce = member.address.isLoopback && !member.url.secure
        do {
            upstream.fd = try Socket.connect(to: member.address)
            let interest = writesAtOnce ? Interest.read : Interest.write
            try loop.register(fd: upstream.fd, handler: self, interest: interest)
            upstream.registered = true
            upstream.interest = interest
        } catch {
            if Self.isLocalExhaustion(error) {
                waitForDescriptors(route, position: position, error: error)
            } else {
                attemptFailed(UpstreamFailure(status: 502, reason: "upstream unreachable", detail: error.description))
            }
            return
        }
        if member.url.secure {
            do throws(TLSError) {
                guard let context = route.pool.tls else { throw TLSError(operation: "starting TLS", reason: "no client context") }
                upstream.tls = try TLSSession(client: context, fd: upstream.fd, serverName: member.url.host)
            } catch {
                attemptFailed(UpstreamFailure(status: 502, reason: "upstream TLS failed", detail: error.description))
                return
            }
        }
        if writesAtOnce {
            // Linux completes a loopback connect inside the call (SYN, SYN-ACK and ACK are handled before
            // it returns EINPROGRESS), so the upgrade request goes out now: no wait for writability, no
            // epoll change, one loop turn fewer. A refusal shows as the write's error.
            Socket.setNoDelay(upstream.fd)
            let attempt = attempts.count
            beginUpstreamUpgrade()
            guard attempts.count == attempt, state == .upstreamHandshake else { return }
            if pendingHeadOffset == 0 && !pendingHead.isEmpty {
                // Nothing written: not connected after all (the member's accept queue is full, say), so
                // this attempt waits for its connect like any other, under the connect timeout.
                state = .connectingUpstream
                rearmDeadline(attemptMilliseconds(route.policy.connectMilliseconds))
            }
            updateInterest()
            return
        }
        state = .connectingUpstream
        rearmDeadline(attemptMilliseconds(route.policy.connectMilliseconds))
    }

    /// The gateway itself is out of descriptors (or socket memory): not the member's fault, and it passes
    /// as other connections end. The attempt is undone and made again shortly, within the connect budget;
    /// when that runs out the client gets 503 (try again later), never a 502 blaming the upstream.
    private func waitForDescriptors(_ route: RouteRuntime, position: Int, error: IOError) {
        guard let attempts else { return }
        attempts.tried &= ~(1 << UInt64(position))
        attempts.count -= 1
        releaseMember()
        upstream.fd = -1
        let retryMilliseconds: UInt64 = 50
        let now = loop.nowMilliseconds
        guard attempts.deadlineAt > now &+ retryMilliseconds else {
            upstreamFailed(UpstreamFailure(status: 503, reason: "gateway out of resources, try again later",
                                           detail: error.description))
            return
        }
        context.stats.descriptorWaits &+= 1
        state = .connectingUpstream
        loop.cancel(&retryTimer)
        retryTimer = loop.schedule(afterMilliseconds: retryMilliseconds, target: self, kind: TimerKind.retry.rawValue)
    }

    static func isLocalExhaustion(_ error: IOError) -> Bool {
        [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errno)
    }

    /// A phase's timeout, cut short by what is left of the whole upstream deadline.
    private func attemptMilliseconds(_ phase: UInt64) -> UInt64 {
        let now = loop.nowMilliseconds
        let deadlineAt = attempts?.deadlineAt ?? now &+ phase
        return max(1, min(phase, deadlineAt > now ? deadlineAt - now : 0))
    }

    /// `events` tell whether the connect failed; only then is the error fetched (one system call saved
    /// per connection).
    func finishUpstreamConnect(_ events: UInt32) {
        let error = events & (Interest.error | Interest.hangup) != 0 ? Socket.pendingError(upstream.fd) : 0
        guard error == 0 else {
            connectFailed(errno: error)
            return
        }
        Socket.setNoDelay(upstream.fd)
        if upstream.tls != nil {
            state = .upstreamTLSHandshake
            driveUpstreamTLS()
        } else {
            beginUpstreamUpgrade()
        }
    }

    func connectFailed(errno error: Int32) {
        attemptFailed(UpstreamFailure(status: 502, reason: "upstream refused the connection",
                                      detail: IOError("connect", errno: error, context: member?.name ?? "").description))
    }

    /// Advances the TLS handshake with a `wss://` member (certificate chain and name verified, SNI sent);
    /// it shares the connect timeout.
    func driveUpstreamTLS() {
        guard let tls = upstream.tls else { return }
        switch tls.handshake() {
        case .done: beginUpstreamUpgrade()
        case .wantRead: upstreamTLSInterest = Interest.read
        case .wantWrite: upstreamTLSInterest = Interest.write
        case .failed(let error):
            upstream.failed = true
            attemptFailed(UpstreamFailure(status: 502, reason: "upstream TLS handshake failed", detail: error.description))
        }
    }

    private func beginUpstreamUpgrade() {
        state = .upstreamHandshake
        rearmDeadline(attemptMilliseconds(route?.policy.handshakeMilliseconds ?? runtime.settings.handshakeTimeout))
        writePendingHead(to: upstream)
    }

    func readUpstreamResponse() {
        switch u2c.read(from: upstream) {
        case .bytes: break
        case .wouldBlock: return
        case .eof, .failed:
            attemptFailed(UpstreamFailure(status: 502, reason: "upstream closed the connection", detail: "before answering the upgrade"))
            return
        }
        guard let buffer = u2c.buffer else { return }
        let result: HTTPHeadParseResult<HTTPResponseHead>
        do {
            result = try responseParser.parse(UnsafeRawBufferPointer(start: buffer, count: u2c.end))
        } catch {
            attemptFailed(UpstreamFailure(status: 502, reason: "upstream sent an invalid response", detail: error.reason))
            return
        }
        guard case .complete(let head, let headLength) = result, let upgrade else {
            // TLS may hold the rest of the head already decrypted.
            if state == .upstreamHandshake && upstream.hasBufferedInput { readUpstreamResponse() }
            return
        }
        WebSocketAccept.withValue(forKey: upgrade.key) { accept in
            switch UpstreamResponseValidator.validate(head, accept: accept, offeredSubprotocols: offeredSubprotocols,
                                                      extensionsOffered: deflateState?.upstreamOffer != nil) {
            case .failure(let failure):
                attemptFailed(UpstreamFailure(status: 502, reason: "upstream refused the upgrade", detail: failure.reason,
                                              upstreamStatus: failure.upstreamStatus))
            case .success(let accepted):
                guard let extensionHeaders = deflateResponseHeaders(head) else { return }
                // After first-message auth the client has had its 101 already.
                let response = clientUpgraded ? [] : ServerHandshakeWriter.switchingProtocols(
                    accept: accept, subprotocol: accepted.subprotocol, extraHeaders: extensionHeaders)
                u2c.replaceHead(length: headLength, with: response)
                pendingHead = []
                open()
            }
        }
    }

    /// One attempt failed: the member hears of it (and may be ejected), and the next member is tried
    /// while attempts and time are left and the upstream was at fault.
    func attemptFailed(_ failure: UpstreamFailure) {
        guard let route, let member, let attempts else {
            upstreamFailed(failure)
            return
        }
        let pool = route.pool
        if failure.blamesUpstream {
            let now = loop.nowMilliseconds
            let before = member.state(nowMilliseconds: now)
            if let backoff = member.recordFailure(passive: pool.passiveEjection, activeChecks: pool.config.healthCheck != nil,
                                                  nowMilliseconds: now) {
                HealthLog.transition(pool: pool, member: member, from: before, to: .ejected,
                                     detail: "\(failure.reason): \(failure.detail); out for \(backoff) ms")
            }
        }
        attempts.failedMemberName = member.name
        releaseMember()
        closeSide(upstream)
        upstream.reset()
        u2c.reset()
        responseParser = HTTPResponseHeadParser()
        attempts.lastFailure = failure
        guard failure.blamesUpstream, attempts.count <= pool.config.retries, loop.nowMilliseconds < attempts.deadlineAt else {
            upstreamFailed(failure)
            return
        }
        connectUpstream(route)
    }

    /// No upstream could be used: the client gets an HTTP status (or, already upgraded, close 1014),
    /// the operator a log line.
    func upstreamFailed(_ failure: UpstreamFailure) {
        context.stats.upstreamFailures &+= 1
        Log.warn("upstream_failed", ["listener": .string(listener.name), "route": .string(route?.name ?? ""),
                  "upstream": .string(member?.name ?? attempts?.failedMemberName ?? ""), "client": .string(clientAddress.host),
                  "status": .int(failure.status), "reason": .string(failure.reason), "detail": .string(failure.detail),
                  "upstream_status": .int(failure.upstreamStatus ?? 0), "attempts": .int(attempts?.count ?? 0)])
        releaseMember()
        closeSide(upstream)
        u2c.reset()
        if clientUpgraded {
            closeClientEarly(code: CloseCode.badGateway.rawValue, reason: failure.reason)
        } else {
            reject(status: failure.status, reason: failure.reason)
        }
    }

    /// Every member is down, ejected, draining or already tried: 503 at once, with when to come back.
    private func noHealthyUpstream(_ route: RouteRuntime) {
        let seconds = route.pool.retryAfterSeconds(nowMilliseconds: loop.nowMilliseconds)
        if clientUpgraded {
            closeClientEarly(code: CloseCode.tryAgainLater.rawValue, reason: "no healthy upstream")
        } else {
            reject(status: 503, reason: "no healthy upstream", headers: [("Retry-After", String(seconds))])
        }
    }

    /// The connection no longer counts toward its member's connections.
    func releaseMember() {
        member?.release()
        member = nil
    }

    /// The upstream answered 101 (called once, from `open`).
    func upstreamOpened() {
        member?.recordSuccess()
        attempts = nil
        drainIfMemberDraining()
    }

    // MARK: Draining

    /// The member is draining: this connection goes on until the pool's drain grace (counted from when
    /// the drain began) is over, then gets close 1012. A grace of 0 lets it end on its own.
    func drainIfMemberDraining() {
        guard let member, let grace = route.map({ UInt64($0.pool.config.drainGrace) }), grace > 0,
              member.draining.load(ordering: .relaxed), state == .open, !drainTimer.isScheduled else { return }
        let ends = member.drainStartedAt.load(ordering: .relaxed) &+ grace
        let now = loop.nowMilliseconds
        drainTimer = loop.schedule(afterMilliseconds: ends > now ? ends - now : 1, target: self,
                                   kind: TimerKind.drain.rawValue)
    }

    func drainGraceOver() {
        guard let member, let grace = route.map({ UInt64($0.pool.config.drainGrace) }),
              member.draining.load(ordering: .relaxed), state == .open else { return }
        // Undrained and drained again since the timer was set: the grace counts from the new drain.
        if member.drainStartedAt.load(ordering: .relaxed) &+ grace > loop.nowMilliseconds {
            drainIfMemberDraining()
            return
        }
        closedBy = "gateway"
        split(toClient: (CloseCode.serviceRestart.rawValue, "service restart"),
              toUpstream: (CloseCode.goingAway.rawValue, "upstream draining"))
    }
}
