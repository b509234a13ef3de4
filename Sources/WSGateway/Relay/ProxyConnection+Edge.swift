import Glibc
import WSHTTP
import WSIO
import WSProtocol

/// What the edge asks of a connection before and around the relay: who the client really is, whether
/// the limits admit it, authentication by first message, and per-direction rate limits.
extension ProxyConnection {
    // MARK: PROXY protocol

    /// Reads the PROXY v1/v2 header a trusted load balancer sends first. The socket is peeked so
    /// that not one byte past the header is consumed: what follows may be a TLS ClientHello.
    func readProxyHeader() {
        guard listener.edge.trustedProxies.contains(peerAddress) else {
            Log.info("proxy_protocol_untrusted", ["listener": .string(listener.name), "peer": .string(peerAddress.host)])
            abortConnection()
            return
        }
        let capacity = ProxyProtocolParser.maximumV2Length + 16
        let outcome = withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 8) { scratch -> ProxyHeaderOutcome in
            let n = recv(client.fd, scratch.baseAddress, capacity, Int32(MSG_PEEK))
            if n == 0 { return .failed("closed before the PROXY header") }
            if n < 0 { return errno == EAGAIN || errno == EINTR ? .wait : .failed("read error") }
            switch ProxyProtocolParser.parse(UnsafeRawBufferPointer(start: scratch.baseAddress, count: n)) {
            case .incomplete: return n == capacity ? .failed("PROXY header too long") : .wait
            case .invalid(let reason): return .failed(reason)
            case .header(let length, let source, _):
                guard recv(client.fd, scratch.baseAddress, length, 0) == length else { return .failed("read error") }
                return .done(source)
            }
        }
        switch outcome {
        case .wait:
            // Level-triggered epoll would report the partial header again at once: look again shortly.
            loop.cancel(&retryTimer)
            retryTimer = loop.schedule(afterMilliseconds: 10, target: self, kind: TimerKind.retry.rawValue)
        case .failed(let reason):
            Log.info("proxy_protocol_invalid", ["listener": .string(listener.name), "peer": .string(peerAddress.host),
                                                "reason": .string(reason)])
            abortConnection()
        case .done(let source):
            if let source { clientAddress = source }
            if ipAdmissionDeferred { admitClientAddress() }
            state = listener.tls == nil ? .readingRequest : .tlsHandshake
        }
    }

    private enum ProxyHeaderOutcome {
        case wait, failed(String), done(SocketAddress?)
    }

    /// Takes the client address from the listener's real-IP header when the peer is a trusted proxy.
    func takeRealClientAddress(from head: HTTPRequestHead) {
        guard let header = listener.edge.realIPHeader, listener.edge.trustedProxies.contains(peerAddress) else { return }
        clientAddress = listener.edge.trustedProxies.realClientAddress(peer: clientAddress,
                                                                        forwardedFor: head.headers.listElements(header))
    }

    // MARK: Connection limits

    /// Counts the client's network once its real address is known (behind a trusted proxy).
    func admitClientAddress() {
        ipAdmissionDeferred = false
        let limits = runtime.limits
        guard let lease, pendingRejection == nil, let key = limits.key(for: clientAddress) else { return }
        if let kind = limits.admit(ip: key, for: lease) { refuseForLimit(kind) }
    }

    /// The route's and the identity's connection counts; false (after answering 503) when full.
    func admitRoute(identity: String?) -> Bool {
        self.identity = identity
        guard let lease else { return true }
        guard let kind = runtime.limits.admit(route: routeIndex, identity: identity, for: lease) else { return true }
        refuseForLimit(kind)
        if clientUpgraded {
            closeClientEarly(code: CloseCode.tryAgainLater.rawValue, reason: "too many connections")
        } else if let rejection = pendingRejection {
            reject(status: rejection.status, reason: rejection.reason, headers: rejection.headers)
        }
        return false
    }

    func refuseForLimit(_ kind: LimitKind) {
        context.stats.recordLimitRejection(kind)
        Log.info("limit_reached", ["listener": .string(listener.name), "client": .string(clientAddress.host),
                                   "limit": .string(kind.rawValue)])
        pendingRejection = (LimitKind.rejectionStatus, "too many connections (\(kind.rawValue) limit)",
                            [LimitKind.retryAfterHeader])
    }

    // MARK: First-message authentication

    /// Upgrades the client at once and waits for its first message to carry the token. Subprotocols
    /// cannot be negotiated end to end here (the upstream is not yet connected): none is chosen and
    /// none is offered upstream.
    func awaitAuthMessage(route: RouteRuntime, target: String, timeout: Int?) {
        guard let upgrade else { return }
        pendingUpstreamTarget = target
        let response = ServerHandshakeWriter.switchingProtocols(key: upgrade.key, subprotocol: nil)
        let queued = u2c.inject(size: response.count) { out in
            response.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            return response.count
        }
        guard queued else {
            abortConnection()
            return
        }
        clientUpgraded = true
        handshakeStatus = 101
        state = .awaitingAuthMessage
        rearmDeadline(UInt64(timeout ?? 5_000))
        flushToward(client)
        if state == .awaitingAuthMessage && c2u.hasUnparsedBytes { readAuthMessage() }
    }

    /// Reads frames until the first message; it must be one unfragmented text frame of at most 16 KiB.
    func readAuthMessage() {
        if c2u.canRead, !c2u.hasUnparsedBytes || client.hasBufferedInput {
            switch c2u.read(from: client) {
            case .bytes, .wouldBlock: break
            case .eof, .failed:
                closedBy = "client"
                abortConnection()
                return
            }
        }
        switch c2u.takeFirstMessage(limit: 16_384) {
        case .incomplete: return
        case .invalid(let reason): authMessageRejected(reason)
        case .message(let payload):
            guard let route, let authenticator = route.authenticator else { return }
            let decision = payload.withUnsafeBytes { authenticator.authenticateFirstMessage($0) }
            switch decision {
            case .accepted(let success):
                guard admitRoute(identity: success.identity) else { return }
                prepareUpstreamRequest(route: route, target: pendingUpstreamTarget, credentials: success,
                                       withholdSubprotocols: true)
                connectUpstream(route)
            case .rejected(let rejection): authMessageRejected(rejection.reason)
            case .deferredToFirstMessage: authMessageRejected("missing token")
            }
        }
    }

    private func authMessageRejected(_ reason: String) {
        context.stats.authRejections &+= 1
        Log.info("auth_message_rejected", ["route": .string(route?.name ?? ""), "client": .string(clientAddress.host),
                                           "reason": .string(reason)])
        closeClientEarly(code: CloseCode.policyViolation.rawValue, reason: reason)
    }

    /// Closes an upgraded client that never got an upstream: close frame, then its close reply.
    func closeClientEarly(code: UInt16, reason: String) {
        if closedBy.isEmpty { closedBy = "gateway" }
        closeSide(upstream)
        state = .closing
        sendClose(to: client, code: code, reason: reason)
        c2u.startDraining()
        rearmDeadline(route?.policy.closeMilliseconds ?? runtime.settings.closeTimeout)
        flushToward(client)
        if state != .finished { checkCompletion() }
    }

    // MARK: Rate limits


    /// A limiter in throttle mode asked for a pause: no reading from `source` until the timer clears it.
    func throttle(_ source: Endpoint, milliseconds: UInt64) {
        context.stats.rateLimitPauses &+= 1
        let kind = source === client ? TimerKind.clientThrottle : TimerKind.upstreamThrottle
        if source === client {
            loop.cancel(&clientThrottle)
            clientThrottle = loop.schedule(afterMilliseconds: max(1, milliseconds), target: self, kind: kind.rawValue)
        } else {
            loop.cancel(&upstreamThrottle)
            upstreamThrottle = loop.schedule(afterMilliseconds: max(1, milliseconds), target: self, kind: kind.rawValue)
        }
    }

    /// A limiter in close mode found no tokens: the sender gets 1008, the other side a fitting close.
    func rateExceeded(by source: Endpoint) {
        context.stats.rateLimitCloses &+= 1
        if closedBy.isEmpty { closedBy = "gateway" }
        Log.info("rate_limit_close", ["route": .string(route?.name ?? ""), "client": .string(clientAddress.host),
                                      "side": .string(source.role.rawValue)])
        offenderStops(source)
        if source === client {
            split(toClient: (CloseCode.policyViolation.rawValue, "rate limit exceeded"),
                  toUpstream: (CloseCode.goingAway.rawValue, "client rate limit exceeded"))
        } else {
            split(toClient: (CloseCode.tryAgainLater.rawValue, "upstream rate limit exceeded"),
                  toUpstream: (CloseCode.policyViolation.rawValue, "rate limit exceeded"))
        }
    }

    /// A throttle pause is over: forward what waited in the buffer, then read again.
    func resumeThrottled(_ source: Endpoint) {
        pump(of: source).throttled = false
        guard state == .open || state == .closing else { return }
        relayPending(from: source)
        if state != .finished, source.hasBufferedInput { pump(from: source) }
    }
}

extension MessageRateLimiter {
    /// Charges one data frame: its payload bytes, and a message when it starts one.
    mutating func charge(_ header: FrameHeader, nowMilliseconds now: UInt64) -> RateVerdict {
        let bytes = recordBytes(header.payloadLength, nowMilliseconds: now)
        if bytes == .close { return .close }
        guard header.opcode != WSOpcode.continuation else { return bytes }
        let message = recordMessage(nowMilliseconds: now)
        switch (bytes, message) {
        case (_, .close): return .close
        case (.pause(let a), .pause(let b)): return .pause(milliseconds: max(a, b))
        case (.pause, _): return bytes
        default: return message
        }
    }
}
