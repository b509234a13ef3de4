import Glibc
import WSHTTP
import WSIO
import WSProtocol

extension ProxyConnection {
    /// Both handshakes are done: relay from now on.
    func open() {
        state = .open
        handshakeStatus = 101
        lastMessageTime = loop.nowMilliseconds
        loop.cancel(&deadline)
        context.connectionOpened(self)
        // Handshake state is not needed any more; an idle connection should hold nothing it does not use.
        upgrade = nil
        requestParser = HTTPRequestHeadParser()
        responseParser = HTTPResponseHeadParser()
        if let policy = route?.policy {
            let pool = loop.bufferPool(size: policy.bufferSize)
            let limits = policy.limits
            c2u.configure(pool: pool, remask: policy.remask, maxMessageSize: limits.clientMessageLimit,
                          maxFrameSize: limits.clientFrameLimit)
            u2c.configure(pool: pool, remask: false, maxMessageSize: limits.upstreamMessageLimit,
                          maxFrameSize: limits.upstreamFrameLimit)
            configureDeflate(pool: pool, policy: policy)
            let clientLimiter = limits.makeClientRateLimiter()
            let upstreamLimiter = limits.makeUpstreamRateLimiter()
            c2u.rateLimiter = clientLimiter.isUnlimited ? nil : clientLimiter
            u2c.rateLimiter = upstreamLimiter.isUnlimited ? nil : upstreamLimiter
        }
        startKeepalive()
        upstreamOpened()
        // Frames that arrived with either handshake are relayed now, 101 first.
        relayPending(from: upstream)
        if state == .open { relayPending(from: client) }
        if state == .open && client.hasBufferedInput { pump(from: client) }
        if state == .open && upstream.hasBufferedInput { pump(from: upstream) }
    }

    // The per-message path below names each direction's endpoints and pump as the connection's own
    // `let`s and passes them down, instead of selecting them at run time with `pump(of:)`/`peer(of:)`:
    // a selected reference is retained and released around every use, a borrowed `let` is not
    // (about 20 atomic reference-count operations per relayed message, measured with callgrind).

    /// An epoll event for `side` while relaying: `inbound` holds what it sends, `outbound` what it is sent.
    func relayEvent(_ side: Endpoint, reading inbound: FramePump, writing outbound: FramePump, peer: Endpoint,
                    _ events: UInt32) {
        if events & (Interest.write | Interest.hangup | Interest.error) != 0 { flush(outbound, to: side, from: peer) }
        guard state != .finished, !side.done else { return }
        if events & (Interest.read | Interest.hangup | Interest.error) != 0 {
            if inbound.canRead {
                pump(from: side, through: inbound, to: peer,
                     hungUp: events & (Interest.readHangup | Interest.hangup | Interest.error) != 0)
            } else if events & (Interest.hangup | Interest.error) != 0 {
                // Paused by backpressure yet hung up: level-triggered epoll would report this forever.
                sideFailed(side)
            }
        }
    }

    /// Calls `body` with the direction whose bytes come from `source`: its endpoint, its pump and the
    /// endpoint they go to, each the connection's own `let`.
    @inline(__always)
    private func direction(from source: Endpoint, _ body: (Endpoint, FramePump, Endpoint) -> Void) {
        if source === client { body(client, c2u, upstream) } else { body(upstream, u2c, client) }
    }

    /// Reads from `source` and forwards what it can (outside an epoll event: input TLS already decrypted).
    func pump(from source: Endpoint) {
        direction(from: source) { pump(from: $0, through: $1, to: $2) }
    }

    /// Reads from `source` and forwards what it can. It reads again while TLS holds decrypted input, once
    /// more when `source` is due to hang up (see `hangUpDue`), and, on an edge-triggered socket, until a
    /// read comes back short or, when the event said the peer hung up (`hungUp`), until the EOF.
    private func pump(from source: Endpoint, through inbound: FramePump, to destination: Endpoint, hungUp: Bool = false) {
        let edgeTriggered = source.interest & Interest.edgeTriggered != 0
        var rounds = 0
        while true {
            guard inbound.forwarding || inbound.draining || inbound.discarding, inbound.canRead, !source.eof, !source.failed
            else { return }
            source.readWantsWrite = false
            var filledSpace = false
            switch inbound.read(from: source) {
            case .bytes:
                // Judged before relaying, which frees the space again.
                filledSpace = inbound.isFull
                relayPending(from: source, through: inbound, to: destination)
            case .wouldBlock: return
            case .eof: sourceEnded(source)
            case .failed: sideFailed(source)
            }
            rounds += 1
            guard state != .finished,
                  source.hasBufferedInput || hangUpDue(source) || edgeTriggered && (filledSpace || hungUp)
            else { return }
            if rounds == 16 {
                // Fair to the loop's other connections: stop here. An edge-triggered socket would not be
                // reported again for what it still holds; re-registering it makes epoll look once more.
                if edgeTriggered && !source.done { loop.modify(fd: source.fd, interest: source.interest) }
                return
            }
        }
    }

    /// Both close frames have passed toward and from `source`, which hangs up next: a server sends its
    /// FIN right behind its close frame, so one more read now usually finds the EOF that would otherwise
    /// cost another wake-up.
    @inline(__always)
    private func hangUpDue(_ source: Endpoint) -> Bool {
        source.closeReceived && source.closeSent && !source.done && !source.eof && !source.failed
    }

    /// Scans what `source` sent and writes it on.
    func relayPending(from source: Endpoint) {
        direction(from: source) { relayPending(from: $0, through: $1, to: $2) }
    }

    private func relayPending(from source: Endpoint, through inbound: FramePump, to destination: Endpoint) {
        if inbound.terminating {
            relayCompressed(from: source)
        } else {
            scanAndForward(from: source, through: inbound, to: destination)
        }
    }

    func scanAndForward(from source: Endpoint) {
        direction(from: source) { scanAndForward(from: $0, through: $1, to: $2) }
    }

    private func scanAndForward(from source: Endpoint, through inbound: FramePump, to destination: Endpoint) {
        let pongToken = awaitingPong ? pingToken : nil
        var event = inbound.draining || inbound.discarding
            ? inbound.drain()
            : inbound.process(keys: maskKeys, pongToken: pongToken, nowMilliseconds: loop.nowMilliseconds)
        if inbound.keepalivePongSeen {
            inbound.keepalivePongSeen = false
            awaitingPong = false
        }
        if case .frameFinished = event {
            sendPendingClose(to: destination)
            event = inbound.drain()
        }
        switch event {
        case .none, .frameFinished: break
        case .closeFrame: closeFrameReceived(from: source)
        case .violation(let violation):
            protocolViolation(by: source, violation)
            return
        case .throttle(let milliseconds): throttle(source, milliseconds: milliseconds)
        case .rateExceeded:
            rateExceeded(by: source)
            return
        }
        flush(inbound, to: destination, from: source)
    }

    /// Writes what is ready toward `destination`; when it drains, the source may read again.
    func flushToward(_ destination: Endpoint) {
        direction(from: destination === upstream ? client : upstream) { flush($1, to: $2, from: $0) }
    }

    private func flush(_ outbound: FramePump, to destination: Endpoint, from source: Endpoint) {
        guard !destination.done else { return }
        // When the socket closes right after, the FIN can ride in the last segment.
        switch outbound.flush(to: destination, closingNext: state == .closing && closesWhenDrained(destination)) {
        case .drained:
            if state == .awaitingAuthMessage {
                if c2u.hasUnparsedBytes { readAuthMessage() }
                return
            }
            if outbound.messageFlushed {
                compressedMessageFlushed(toward: destination)
                if state == .finished { return }
            }
            if destination.pendingClose != nil {
                // Drained: there is room for a close that waited for it (it may wait on for its frame).
                sendPendingClose(to: destination)
                if outbound.hasOutput {
                    flush(outbound, to: destination, from: source)
                    return
                }
            }
            checkCompletion()
            // Decrypted input waiting inside TLS gets no epoll event: take it now there is room.
            if state != .finished && source.hasBufferedInput && outbound.canRead { pump(from: source, through: outbound, to: destination) }
        case .blocked: break
        case .failed: sideFailed(destination)
        }
    }

    func closeFrameReceived(from source: Endpoint) {
        source.closeReceived = true
        if pump(of: source).draining {
            checkCompletion()
            return
        }
        if closedBy.isEmpty { closedBy = source.role.rawValue }
        peer(of: source).closeSent = true
        // Go on reading (and dropping) until its EOF: no epoll change, and a hang-up is noticed.
        pump(of: source).drainAfterClose()
        if state == .open {
            state = .closing
            rearmDeadline(route?.policy.closeMilliseconds ?? runtime.settings.closeTimeout)
        }
    }

    /// `side` ended its stream (EOF).
    func sourceEnded(_ side: Endpoint) {
        side.eof = true
        if side.closeReceived || pump(of: side).draining || pump(of: side).discarding {
            checkCompletion()
            return
        }
        if closedBy.isEmpty { closedBy = side.role.rawValue }
        // It vanished without a close frame: tell the other side why.
        if side === client {
            split(toClient: nil, toUpstream: (CloseCode.goingAway.rawValue, "client went away"))
        } else {
            split(toClient: (CloseCode.internalError.rawValue, "upstream closed the connection"), toUpstream: nil)
        }
    }

    func sideFailed(_ side: Endpoint) {
        side.failed = true
        if closedBy.isEmpty { closedBy = side.role.rawValue }
        if state == .open {
            if side === client {
                split(toClient: nil, toUpstream: (CloseCode.goingAway.rawValue, "client connection lost"))
            } else {
                split(toClient: (CloseCode.internalError.rawValue, "upstream connection lost"), toUpstream: nil)
            }
        } else {
            // A close waiting for this side's frame to end can no longer follow it: it goes now or not at all.
            sendPendingClose(to: peer(of: side))
            checkCompletion()
        }
    }

    func protocolViolation(by side: Endpoint, _ violation: FrameViolation) {
        context.stats.protocolErrors &+= 1
        if closedBy.isEmpty { closedBy = side.role.rawValue }
        Log.info("protocol_violation", ["route": .string(route?.name ?? ""), "client": .string(clientAddress.host),
                                        "side": .string(side.role.rawValue), "code": .int(Int(violation.closeCode)),
                                        "reason": .string(violation.reason)])
        // The offender gets its close code and is not waited for; the other side gets a fitting one.
        offenderStops(side)
        let tooBig = violation.kind == .messageTooBig
        if tooBig { context.stats.messagesTooBig &+= 1 }
        if side === client {
            split(toClient: (violation.closeCode, violation.reason),
                  toUpstream: (CloseCode.goingAway.rawValue, tooBig ? "client message too big" : "client protocol error"))
        } else {
            split(toClient: (CloseCode.badGateway.rawValue, tooBig ? "upstream message too big" : "upstream protocol error"),
                  toUpstream: (violation.closeCode, violation.reason))
        }
    }

    /// Stops relaying: each side still open gets a close frame of the gateway's own (when its stream
    /// is at a frame boundary) and is read only to find its close reply, within the close timeout.
    func split(toClient: (UInt16, String)?, toUpstream: (UInt16, String)?) {
        guard state == .open || state == .closing else { return }
        let wasClosing = state == .closing
        state = .closing
        if let (code, reason) = toClient { sendClose(to: client, code: code, reason: reason) }
        if let (code, reason) = toUpstream { sendClose(to: upstream, code: code, reason: reason) }
        c2u.startDraining()
        u2c.startDraining()
        if !wasClosing { rearmDeadline(route?.policy.closeMilliseconds ?? runtime.settings.closeTimeout) }
        flushToward(client)
        if state != .finished { flushToward(upstream) }
        if state != .finished { checkCompletion() }
    }

    /// Sends the close that waited toward `destination`; `sendClose` decides again whether it can go now.
    func sendPendingClose(to destination: Endpoint) {
        guard let close = destination.pendingClose else { return }
        destination.pendingClose = nil
        sendClose(to: destination, code: close.code, reason: close.reason)
    }

    /// Queues a close frame toward `side`; toward the upstream it is masked, as a client's must be.
    func sendClose(to side: Endpoint, code: UInt16, reason: String) {
        guard !side.closeSent, !side.done, !side.failed, !side.eof || side.closeReceived else { return }
        let source = peer(of: side)
        let outbound = pump(of: source)
        let frameInFlight = !outbound.atFrameBoundary && outbound.forwarding && !source.eof && !source.failed
        if frameInFlight || outbound.atFrameBoundary && !outbound.hasRoom(for: FrameWriter.maxControlFrameSize) {
            // The close follows once the frame in flight toward this side is complete (see startDraining),
            // or once this side has taken enough of what waits for it to make room (see flushToward).
            side.pendingClose = (code, reason)
            return
        }
        let maskKey: UInt32? = side === upstream ? maskKeys.next() : nil
        let queued = outbound.inject(size: FrameWriter.maxControlFrameSize) { out in
            FrameWriter.writeCloseFrame(into: out, code: code, reason: reason, maskKey: maskKey)
        }
        side.closeSent = true
        if !queued {
            // Inside a forwarded frame no close frame can follow: the side is cut off after its data.
            side.closeReceived = true
        }
        if side === client { context.stats.recordCloseSent(code) }
    }

    /// Closes each side that is through, and finishes when both are. Only a closing connection can
    /// be through: every way out of `open` (close frame, EOF, failure, split) passes `closing`.
    @inline(__always)
    func checkCompletion() {
        if state == .closing { completeClosing() }
    }

    private func completeClosing() {
        closeIfThrough(client)
        closeIfThrough(upstream)
        if client.done && upstream.done { finish() }
    }

    private func closeIfThrough(_ side: Endpoint) {
        guard !side.done, !pump(of: peer(of: side)).hasOutput || side.failed, saidEnough(side) else { return }
        if heardEnough(side) {
            closeSide(side)
        } else if pump(of: side).discarding && !side.writeShut {
            // An offender is not waited for to reply, only to hang up (or for the close timeout).
            side.writeShut = true
            if let tls = side.tls { tls.shutdown() } else { Glibc.shutdown(side.fd, Int32(SHUT_WR)) }
        }
    }

    /// Whether `side` is closed as soon as what waits to be written to it is written.
    private func closesWhenDrained(_ side: Endpoint) -> Bool {
        !side.done && saidEnough(side) && heardEnough(side)
    }

    private func heardEnough(_ side: Endpoint) -> Bool {
        side.eof || side.failed || side.closeReceived && (side === client || !waitsForUpstreamHangUp)
    }

    /// EOF after its close frame is a half-close: it still waits for our close frame.
    private func saidEnough(_ side: Endpoint) -> Bool {
        side.closeSent || side.failed || side.eof && !side.closeReceived
    }

    /// Whether the upstream, the server of its connection, is left to hang up first after the closing
    /// handshake (RFC 6455 section 7.1.1): then TIME_WAIT stays on its side instead of holding the gateway's
    /// ports toward it, and the close timeout bounds the wait. So when a peer's closing handshake passes
    /// through; when the gateway ends the connection itself (shutdown, a limit, a timeout) it closes as
    /// soon as both close frames are exchanged, as the RFC allows. Toward clients the gateway is the server.
    private var waitsForUpstreamHangUp: Bool {
        closedBy == Endpoint.Role.client.rawValue || closedBy == Endpoint.Role.upstream.rawValue
    }

    /// `side` broke the protocol or a limit: it is read to its end and discarded from now on.
    func offenderStops(_ side: Endpoint) {
        pump(of: side).discardInput()
    }
}

extension ProxyConnection {
    /// The gateway is stopping: open connections get close 1001, others end now.
    func shutdown() {
        switch state {
        case .open, .closing:
            split(toClient: (CloseCode.goingAway.rawValue, "server shutting down"),
                  toUpstream: (CloseCode.goingAway.rawValue, "server shutting down"))
            if state != .finished { updateInterest() }
        case .awaitingAuthMessage, .connectingUpstream, .upstreamTLSHandshake, .upstreamHandshake:
            if clientUpgraded {
                closeClientEarly(code: CloseCode.goingAway.rawValue, reason: "server shutting down")
            } else {
                closeSide(upstream)
                u2c.reset()
                reject(status: 503, reason: "server shutting down", headers: [("Retry-After", "1")])
            }
            if state != .finished { updateInterest() }
        case .readingProxyHeader, .tlsHandshake, .readingRequest, .rejecting, .lingering:
            abortConnection()
        case .finished:
            break
        }
    }
}
