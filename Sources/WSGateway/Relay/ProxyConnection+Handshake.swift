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

    /// Writes what is left of `pendingHead`; a rejection then closes, a request then awaits the answer.
    func writePendingHead(to side: Endpoint) {
        while pendingHeadOffset < pendingHead.count {
            let result = pendingHead.withUnsafeBytes { raw in
                side.write(from: raw.baseAddress! + pendingHeadOffset, count: raw.count - pendingHeadOffset)
            }
            switch result {
            case .bytes(let n): pendingHeadOffset += n
            case .wouldBlock: return
            case .failed(let error) where side === upstream && pendingHeadOffset == 0 && error == ECONNREFUSED:
                // Written right after a loopback connect, the request meets the refusal.
                connectFailed(errno: error)
                return
            case .eof, .failed:
                if side === upstream {
                    attemptFailed(UpstreamFailure(status: 502, reason: "upstream closed the connection",
                                                  detail: "writing the upgrade request"))
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
