import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// One client connection and its upstream connection, on one event loop, from accept to close.
///
/// Its life is one readable state machine (`State`); the relay itself is two symmetric `FramePump`s,
/// one per direction, each reading only while it has room and writing straight after it read.
final class ProxyConnection: EventHandler, TimerTarget {
    enum State: String {
        case readingProxyHeader, tlsHandshake, readingRequest, awaitingAuthMessage, connectingUpstream, upstreamTLSHandshake
        case upstreamHandshake
        case open, closing, rejecting, lingering, finished
    }

    enum TimerKind: Int32 { case deadline, keepalive, idle, clientThrottle, upstreamThrottle, retry, retire, drain }

    /// Messages a plain socket sends before it is read edge-triggered (see `relayInterest`).
    static let edgeTriggeredAfterMessages: UInt64 = 16

    // The context outlives its connections (the loop owns it); unchecked to keep refcounting off the hot path.
    unowned(unsafe) let context: LoopContext
    /// The runtime this connection was accepted under; a reload does not change what it was promised.
    let runtime: GatewayRuntime
    let listener: ListenerRuntime
    /// The TCP peer, replaced by the real client when a trusted proxy names it (PROXY header or
    /// the listener's real-IP header).
    var clientAddress: SocketAddress
    let peerAddress: SocketAddress
    /// The connection's share of the connection limits, released exactly once when it ends.
    var lease: ConnectionLease?
    /// Whether the per-IP count waits until the real client address is known.
    var ipAdmissionDeferred = false
    /// A limit refused this connection at accept; it is answered once the request head is read.
    var pendingRejection: (status: Int, reason: String, headers: [(String, String)])?
    var clientThrottle = TimerID.none
    var upstreamThrottle = TimerID.none
    /// Looks again at a partial PROXY header.
    var retryTimer = TimerID.none
    /// Ends a connection whose route a reload removed.
    var retireTimer = TimerID.none
    /// Where the upstream request goes once first-message authentication succeeds.
    var pendingUpstreamTarget = ""
    /// The pool member this connection uses, from its connect attempt on (counted in its connections).
    var member: UpstreamMember?
    /// Members tried so far and what each attempt's upstream request is built from (until the upgrade).
    var attempts: UpstreamAttempts?
    var upstreamTLSInterest = Interest.write
    /// Closes the connection with 1012 once its member's drain grace is over.
    var drainTimer = TimerID.none
    let client = Endpoint(role: .client)
    let upstream = Endpoint(role: .upstream)
    let c2u: FramePump
    let u2c: FramePump
    var state: State
    var route: RouteRuntime?
    var routeIndex = -1
    /// Index in the loop's registry of live connections (swap-remove).
    var registryIndex = -1

    var requestParser = HTTPRequestHeadParser()
    var responseParser = HTTPResponseHeadParser()
    var upgrade: UpgradeRequest?
    /// Subprotocols offered to the upstream (after authentication withheld any carrying a token).
    var offeredSubprotocols: [String] = []
    /// The client already has its 101 (first-message authentication upgrades it before the upstream).
    var clientUpgraded = false
    /// Bytes still to write of the upstream request or of a rejection response.
    var pendingHead: [UInt8] = []
    var pendingHeadOffset = 0
    var tlsInterest = Interest.read
    /// permessage-deflate negotiated for this connection; nil when the route has it off or no slot was free.
    var deflateState: ConnectionDeflate?

    var deadline = TimerID.none
    var keepaliveTimer = TimerID.none
    var idleTimer = TimerID.none
    var awaitingPong = false
    var pingToken: UInt64 = 0
    var clientBytesAtLastPing: UInt64 = 0
    var messagesAtLastIdleCheck: UInt64 = 0
    var lastMessageTime: UInt64 = 0

    let acceptedAt: UInt64
    var handshakeStatus = 0
    /// Who authentication said the client is (for the access log and the identity limit).
    var identity: String?
    /// Who ended the connection: client, upstream, gateway or timeout (for the access log).
    var closedBy = ""

    init(fd: Int32, peer: SocketAddress, listener: ListenerRuntime, context: LoopContext) {
        self.context = context
        self.loop = context.loop
        self.maskKeys = context.maskKeys
        self.runtime = context.runtime
        self.listener = listener
        self.clientAddress = peer
        self.peerAddress = peer
        client.fd = fd
        acceptedAt = context.loop.nowMilliseconds
        c2u = FramePump(fromClient: true, pool: context.handshakePool, validator: FrameSequenceValidator(requireMasked: true))
        u2c = FramePump(fromClient: false, pool: context.handshakePool, validator: FrameSequenceValidator(requireMasked: false))
        state = listener.edge.proxyProtocol ? .readingProxyHeader : listener.tls == nil ? .readingRequest : .tlsHandshake
    }

    /// Registers the client socket and arms the handshake deadline.
    func start() {
        if let tls = listener.tls {
            do {
                client.tls = try TLSSession(server: tls, fd: client.fd)
            } catch {
                Log.warn("tls_session_failed", ["listener": .string(listener.name), "error": .string(error.description)])
                abortConnection()
                return
            }
        }
        do {
            try context.loop.register(fd: client.fd, handler: self, interest: Interest.read)
            client.registered = true
            client.interest = Interest.read
        } catch {
            Log.error("register_failed", ["listener": .string(listener.name), "error": .string(error.description)])
            abortConnection()
            return
        }
        deadline = context.loop.schedule(afterMilliseconds: runtime.settings.handshakeTimeout,
                                         target: self, kind: TimerKind.deadline.rawValue)
        // The listener defers accepting until the client has sent something: read it now rather than a
        // loop turn later, when epoll would report it.
        handleEvent(fd: client.fd, events: Interest.read)
    }

    /// The loop this connection lives on (it outlives the connection), unchecked like `context`.
    unowned(unsafe) let loop: EventLoop
    /// The loop's mask keys, held directly so the per-frame path does not go through the context. A strong
    /// `let` (one retain per connection): passed on from the connection it is borrowed, where an
    /// `unowned(unsafe)` reference is retained for every call that takes it.
    let maskKeys: MaskKeySource

    override func handleEvent(fd: Int32, events: UInt32) {
        // Relaying, nearly every event: straight to its direction, past the per-state dispatch.
        let relaying = state == .open || state == .closing
        if fd == client.fd && !client.done {
            if relaying { relayEvent(client, reading: c2u, writing: u2c, peer: upstream, events) } else { clientEvent(events) }
        } else if fd == upstream.fd && !upstream.done {
            if relaying { relayEvent(upstream, reading: u2c, writing: c2u, peer: client, events) } else { upstreamEvent(events) }
        }
        if state != .finished { updateInterest() }
    }

    private func clientEvent(_ events: UInt32) {
        let readable = events & (Interest.read | Interest.hangup | Interest.error) != 0
        let writable = events & (Interest.write | Interest.hangup | Interest.error) != 0
        switch state {
        case .readingProxyHeader: if readable { readProxyHeader() }
        case .tlsHandshake: driveTLSHandshake()
        case .readingRequest: if readable { readRequest() }
        case .awaitingAuthMessage:
            if writable { flushToward(client) }
            if readable && state == .awaitingAuthMessage { readAuthMessage() }
        case .connectingUpstream, .upstreamTLSHandshake, .upstreamHandshake:
            if readable { bufferEarlyClientBytes() }
        case .rejecting: if writable { writePendingHead(to: client) }
        case .lingering: if readable { lingerRead() }
        case .open, .closing, .finished: break
        }
    }

    private func upstreamEvent(_ events: UInt32) {
        let readable = events & (Interest.read | Interest.hangup | Interest.error) != 0
        let writable = events & (Interest.write | Interest.hangup | Interest.error) != 0
        switch state {
        case .connectingUpstream: finishUpstreamConnect(events)
        case .upstreamTLSHandshake: driveUpstreamTLS()
        case .upstreamHandshake:
            if writable && pendingHeadOffset < pendingHead.count { writePendingHead(to: upstream) }
            if readable && state == .upstreamHandshake { readUpstreamResponse() }
        default: break
        }
    }

    /// The pump whose bytes come from `side`.
    @inline(__always)
    func pump(of side: Endpoint) -> FramePump { side === client ? c2u : u2c }

    @inline(__always)
    func peer(of side: Endpoint) -> Endpoint { side === client ? upstream : client }

    /// Asks epoll for exactly what each socket waits for now, touching it only on a change.
    func updateInterest() {
        if state == .open {
            // After every relayed message: each side's own pumps, borrowed, without the state switch.
            setInterest(client, relayInterest(client, reading: c2u, writing: u2c))
            setInterest(upstream, relayInterest(upstream, reading: u2c, writing: c2u))
            return
        }
        setInterest(client, desiredInterest(client))
        if upstream.fd >= 0 { setInterest(upstream, desiredInterest(upstream)) }
    }

    /// What `side` waits for while relaying: readable while its pump takes input, writable while the
    /// other pump has output for it (or OpenSSL needs to write to read).
    ///
    /// A plain socket that has sent `edgeTriggeredAfterMessages` messages is read edge-triggered, with the
    /// peer's hang-up reported: level-triggered epoll polls every socket it reported once more at the next
    /// `epoll_wait`, about 0.1 µs per relayed message (docs/benchmarks.md, item 15). The switch costs one
    /// `epoll_ctl`, repaid after about ten messages, so a connection that lives for one message (churn)
    /// never pays it. Reading until a short read (`pump`) keeps the edge honest, and every pause in reading
    /// drops `read` here, so resuming re-registers and epoll looks again. TLS stays level-triggered: a
    /// short `SSL_read` says nothing about what the socket still holds.
    @inline(__always)
    private func relayInterest(_ side: Endpoint, reading inbound: FramePump, writing outbound: FramePump) -> UInt32 {
        guard !side.done else { return 0 }
        var interest: UInt32 = 0
        if (inbound.forwarding || inbound.draining || inbound.discarding) && !side.eof && !side.failed && inbound.canRead {
            interest |= side.tls == nil && inbound.messages >= Self.edgeTriggeredAfterMessages
                ? Interest.read | Interest.readHangup | Interest.edgeTriggered : Interest.read
        }
        if outbound.hasOutput || side.readWantsWrite { interest |= Interest.write }
        return interest
    }

    private func desiredInterest(_ side: Endpoint) -> UInt32 {
        guard !side.done else { return 0 }
        switch state {
        case .readingProxyHeader: return side === client && !retryTimer.isScheduled ? Interest.read : 0
        case .awaitingAuthMessage:
            guard side === client else { return 0 }
            return (c2u.canRead ? Interest.read : 0) | (u2c.hasOutput ? Interest.write : 0)
        case .tlsHandshake: return side === client ? tlsInterest : 0
        case .readingRequest, .lingering: return side === client ? Interest.read : 0
        case .connectingUpstream, .upstreamTLSHandshake, .upstreamHandshake:
            // The client stays readable (early frames are kept for the relay), so opening needs no
            // epoll change for it; it goes quiet only if it fills its buffer first.
            guard side === upstream else { return c2u.canRead ? Interest.read : 0 }
            if state == .connectingUpstream { return Interest.write }
            if state == .upstreamTLSHandshake { return upstreamTLSInterest }
            return pendingHeadOffset < pendingHead.count ? Interest.write : Interest.read
        case .rejecting: return side === client ? Interest.write : 0
        case .finished: return 0
        case .open, .closing:
            return side === client
                ? relayInterest(client, reading: c2u, writing: u2c) : relayInterest(upstream, reading: u2c, writing: c2u)
        }
    }

    private func setInterest(_ side: Endpoint, _ interest: UInt32) {
        guard side.registered, !side.done, side.interest != interest else { return }
        side.interest = interest
        loop.modify(fd: side.fd, interest: interest)
    }

    /// Closes one side's socket (politely for TLS).
    func closeSide(_ side: Endpoint) {
        guard !side.done else { return }
        side.done = true
        guard side.fd >= 0 else { return }
        if let tls = side.tls, !side.failed { tls.shutdown() }
        side.tls = nil
        loop.forget(fd: side.fd)
        close(side.fd)
    }

    /// Ends everything now: both sockets, timers and buffers.
    func abortConnection() {
        guard state != .finished else { return }
        closeSide(client)
        closeSide(upstream)
        finish()
    }

    func finish() {
        guard state != .finished else { return }
        let previous = state
        state = .finished
        // One strong reference for the eight calls: each call through the unowned(unsafe) property retains
        // and releases the loop around it.
        let loop = self.loop
        loop.cancel(&deadline)
        loop.cancel(&keepaliveTimer)
        loop.cancel(&idleTimer)
        loop.cancel(&clientThrottle)
        loop.cancel(&upstreamThrottle)
        loop.cancel(&retryTimer)
        loop.cancel(&retireTimer)
        loop.cancel(&drainTimer)
        lease?.release()
        lease = nil
        releaseCompressionSlot()
        if handshakeStatus == 101 { logAccess() }
        releaseMember()
        c2u.reset()
        u2c.reset()
        context.connectionFinished(self, previousState: previous)
    }

    /// One line per relayed connection when it ends (never with tokens: only the route is named).
    private func logAccess() {
        guard Log.enabled(.info) else { return }
        Log.info("access", [
            "client": .string(clientAddress.host), "listener": .string(listener.name),
            "route": .string(route?.name ?? ""), "upstream": .string(member?.name ?? ""),
            "status": .int(handshakeStatus), "duration_ms": .int(Int(loop.nowMilliseconds &- acceptedAt)),
            "bytes_in": .int(Int(c2u.bytesIn)), "bytes_out": .int(Int(u2c.bytesIn)),
            "messages_in": .int(Int(c2u.messages)), "messages_out": .int(Int(u2c.messages)),
            "identity": .string(identity ?? ""),
            "client_close_code": .int(Int(c2u.closeCode ?? 0)), "client_close_reason": .string(c2u.closeReason),
            "upstream_close_code": .int(Int(u2c.closeCode ?? 0)), "upstream_close_reason": .string(u2c.closeReason),
            "closed_by": .string(closedBy.isEmpty ? "unknown" : closedBy),
        ])
    }
}
