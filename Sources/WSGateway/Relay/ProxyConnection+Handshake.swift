import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

extension ProxyConnection {
    func driveTLSHandshake() {
        guard let tls = client.tls else { return }
        switch tls.handshake() {
        case .done:
            state = .readingRequest
            readRequest()
        case .wantRead: tlsInterest = Interest.read
        case .wantWrite: tlsInterest = Interest.write
        case .failed(let error):
            context.stats.tlsHandshakeFailures &+= 1
            Log.debug("tls_handshake_failed", ["listener": .string(listener.name),
                                               "client": .string(clientAddress.host), "error": .string(error.description)])
            client.failed = true
            abortConnection()
        }
    }

    /// While the upstream is being reached: what the client sends early waits in its buffer, unparsed,
    /// for the relay; a client that hangs up ends it all.
    func bufferEarlyClientBytes() {
        switch c2u.read(from: client) {
        case .bytes, .wouldBlock: break
        case .eof, .failed:
            closedBy = "client"
            abortConnection()
        }
    }

    func readRequest() {
        switch c2u.read(from: client) {
        case .bytes:
            parseRequest()
            // TLS may hold the rest of the head already decrypted.
            if state == .readingRequest && client.hasBufferedInput { readRequest() }
        case .wouldBlock: break
        case .eof, .failed:
            closedBy = "client"
            abortConnection()
        }
    }

    private func parseRequest() {
        guard let buffer = c2u.buffer else { return }
        let result: HTTPHeadParseResult<HTTPRequestHead>
        do {
            result = try requestParser.parse(UnsafeRawBufferPointer(start: buffer, count: c2u.end))
        } catch {
            reject(status: error.status, reason: error.reason)
            return
        }
        guard case .complete(let head, let headLength) = result else { return }
        c2u.consumeHead(length: headLength)
        takeRealClientAddress(from: head)
        if ipAdmissionDeferred { admitClientAddress() }
        if let rejection = pendingRejection {
            reject(status: rejection.status, reason: rejection.reason, headers: rejection.headers)
            return
        }
        route(head)
    }

    /// Routing, then the RFC 6455 checks, the route's origin list, authentication and its connection
    /// limits, in the order that answers a request with the most specific status.
    private func route(_ head: HTTPRequestHead) {
        guard let match = runtime.router.match(listener: listener.name, host: head.headers.first("host"),
                                                        path: head.target) else {
            reject(status: 404, reason: "no route for this host and path")
            return
        }
        routeIndex = match.routeIndex
        let route = runtime.routes[match.routeIndex]
        self.route = route
        let upgrade: UpgradeRequest
        switch ClientHandshakeValidator.validate(head) {
        case .failure(let rejection):
            reject(status: rejection.status, reason: rejection.reason, headers: rejection.headers)
            return
        case .success(let request): upgrade = request
        }
        self.upgrade = upgrade
        if let origins = route.policy.limits.allowedOrigins, !origins.allows(upgrade.origin) {
            context.stats.originRejections &+= 1
            reject(status: 403, reason: "origin not allowed")
            return
        }
        var credentials: AuthSuccess?
        if let authenticator = route.authenticator {
            switch authenticator.authenticate(request: head, subprotocols: upgrade.subprotocols) {
            case .accepted(let success): credentials = success
            case .rejected(let rejection):
                context.stats.authRejections &+= 1
                reject(status: rejection.status, reason: rejection.reason, headers: rejection.headerPairs)
                return
            case .deferredToFirstMessage:
                awaitAuthMessage(route: route, target: match.upstreamTarget, timeout: authenticator.firstMessageTimeoutMilliseconds)
                return
            }
        }
        guard admitRoute(identity: credentials?.identity) else { return }
        prepareUpstreamRequest(route: route, target: match.upstreamTarget, credentials: credentials)
        connectUpstream(route)
    }

    /// Builds the upstream's upgrade request: the client's end-to-end headers, forwarding headers, and
    /// what authentication adds or removes (identity headers in, credentials out).
    func prepareUpstreamRequest(route: RouteRuntime, target: String, credentials: AuthSuccess?,
                                withholdSubprotocols: Bool = false) {
        guard let upgrade else { return }
        upstreamKey = WebSocketKey.generate(from: maskKeys)
        var remove = credentials?.removeHeaders ?? []
        if withholdSubprotocols { remove.insert("sec-websocket-protocol") }
        offeredSubprotocols = withholdSubprotocols ? [] : credentials?.forwardedSubprotocols(upgrade.subprotocols) ?? upgrade.subprotocols
        let authHeaders = withholdSubprotocols
            ? (credentials?.addHeaders ?? []).filter { $0.0.lowercased() != "sec-websocket-protocol" }
            : credentials?.addHeaders ?? []
        pendingHead = UpstreamRequestBuilder.build(
            client: upgrade, upstreamAuthority: route.upstreamAuthority,
            target: credentials?.upstreamTarget(target) ?? target, key: upstreamKey,
            forwarding: ForwardingInfo(clientAddress: clientAddress.host, scheme: listener.tls == nil ? "http" : "https"),
            removeHeaders: remove, addHeaders: authHeaders + deflateOfferHeaders(route: route))
        pendingHeadOffset = 0
    }

    func connectUpstream(_ route: RouteRuntime) {
        do {
            upstream.fd = try Socket.connect(to: route.upstreamAddress)
            try loop.register(fd: upstream.fd, handler: self, interest: Interest.write)
            upstream.registered = true
            upstream.interest = Interest.write
        } catch {
            upstreamFailed(status: 502, reason: "upstream unreachable", detail: error.description)
            return
        }
        state = .connectingUpstream
        rearmDeadline(route.policy.connectMilliseconds)
    }

    /// `events` tell whether the connect failed; only then is the error fetched (one system call saved
    /// per connection).
    func finishUpstreamConnect(_ events: UInt32) {
        let error = events & (Interest.error | Interest.hangup) != 0 ? Socket.pendingError(upstream.fd) : 0
        guard error == 0 else {
            upstreamFailed(status: 502, reason: "upstream refused the connection",
                           detail: IOError("connect", errno: error, context: route?.upstreamAddress.description ?? "").description)
            return
        }
        Socket.setNoDelay(upstream.fd)
        state = .upstreamHandshake
        rearmDeadline(route?.policy.handshakeMilliseconds ?? runtime.settings.handshakeTimeout)
        writePendingHead(to: upstream)
    }

    /// Writes what is left of `pendingHead`; a rejection then closes, a request then awaits the answer.
    func writePendingHead(to side: Endpoint) {
        while pendingHeadOffset < pendingHead.count {
            let result = pendingHead.withUnsafeBytes { raw in
                side.write(from: raw.baseAddress! + pendingHeadOffset, count: raw.count - pendingHeadOffset)
            }
            switch result {
            case .bytes(let n): pendingHeadOffset += n
            case .wouldBlock: return
            case .eof, .failed:
                if side === upstream {
                    upstreamFailed(status: 502, reason: "upstream closed the connection", detail: "writing the upgrade request")
                } else {
                    abortConnection()
                }
                return
            }
        }
        pendingHead = []
        pendingHeadOffset = 0
        if state == .rejecting { startLingering() }
    }

    func readUpstreamResponse() {
        switch u2c.read(from: upstream) {
        case .bytes: break
        case .wouldBlock: return
        case .eof, .failed:
            upstreamFailed(status: 502, reason: "upstream closed the connection", detail: "before answering the upgrade")
            return
        }
        guard let buffer = u2c.buffer else { return }
        let result: HTTPHeadParseResult<HTTPResponseHead>
        do {
            result = try responseParser.parse(UnsafeRawBufferPointer(start: buffer, count: u2c.end))
        } catch {
            upstreamFailed(status: 502, reason: "upstream sent an invalid response", detail: error.reason)
            return
        }
        guard case .complete(let head, let headLength) = result, let upgrade else { return }
        switch UpstreamResponseValidator.validate(head, key: upstreamKey, offeredSubprotocols: offeredSubprotocols,
                                                  extensionsOffered: deflateState?.upstreamOffer != nil) {
        case .failure(let failure):
            upstreamFailed(status: 502, reason: "upstream refused the upgrade", detail: failure.reason,
                           upstreamStatus: failure.upstreamStatus)
        case .success(let accepted):
            guard let extensionHeaders = deflateResponseHeaders(head) else { return }
            // After first-message auth the client has had its 101 already.
            let response = clientUpgraded ? [] : ServerHandshakeWriter.switchingProtocols(
                accept: WebSocketAccept.value(forKey: upgrade.key), subprotocol: accepted.subprotocol,
                extraHeaders: extensionHeaders)
            u2c.replaceHead(length: headLength, with: response)
            pendingHead = []
            open()
        }
    }

    /// The upstream could not be used: the client gets an HTTP status (or, already upgraded, close
    /// 1014), the operator a log line.
    func upstreamFailed(status: Int, reason: String, detail: String, upstreamStatus: Int? = nil) {
        context.stats.upstreamFailures &+= 1
        Log.warn("upstream_failed", ["listener": .string(listener.name), "route": .string(route?.name ?? ""),
                  "upstream": .string(route?.upstreamAddress.description ?? ""), "client": .string(clientAddress.host),
                  "status": .int(status), "reason": .string(reason), "detail": .string(detail),
                  "upstream_status": .int(upstreamStatus ?? 0)])
        closeSide(upstream)
        u2c.reset()
        if clientUpgraded {
            closeClientEarly(code: CloseCode.badGateway.rawValue, reason: reason)
        } else {
            reject(status: status, reason: reason)
        }
    }

    /// Answers the client with an HTTP error and closes; never upgrades.
    func reject(status: Int, reason: String, headers: [(String, String)] = []) {
        handshakeStatus = status
        context.stats.rejected &+= 1
        if status != 502 && status != 504 {
            Log.info("handshake_rejected", ["listener": .string(listener.name), "client": .string(clientAddress.host),
                                            "status": .int(status), "reason": .string(reason)])
        }
        c2u.reset()
        pendingHead = HTTPResponseWriter.errorResponse(status: status, body: reason, headers: headers)
        pendingHeadOffset = 0
        state = .rejecting
        rearmDeadline(runtime.settings.closeTimeout)
        writePendingHead(to: client)
    }

    /// After a rejection: half-close and read until the client closes, so unread request bytes do not
    /// turn our FIN into a reset that destroys the response before the client reads it.
    func startLingering() {
        Glibc.shutdown(client.fd, Int32(SHUT_WR))
        state = .lingering
    }

    func lingerRead() {
        let result = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { scratch in
            client.read(into: scratch.baseAddress!, count: scratch.count)
        }
        switch result {
        case .bytes, .wouldBlock: return
        case .eof, .failed: abortConnection()
        }
    }

    func rearmDeadline(_ milliseconds: UInt64) {
        loop.cancel(&deadline)
        deadline = loop.schedule(afterMilliseconds: milliseconds, target: self, kind: TimerKind.deadline.rawValue)
    }
}
