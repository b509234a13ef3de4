import WSHTTP
import WSIO
import WSProtocol

/// What one connection negotiated of permessage-deflate, from the upstream request to its end.
final class ConnectionDeflate {
    let mode: DeflateMode
    /// The connection holds one of the gateway's `max_compressed_connections` slots.
    var holdsSlot = true
    /// What was offered upstream (nil: nothing).
    var upstreamOffer: String?
    /// Terminate: what the gateway agreed with the client (nil: not negotiated).
    var clientAgreement: DeflateAgreement?
    /// What the upstream agreed with the gateway (pass-through: with the client through the gateway).
    var upstreamAgreement: DeflateAgreement?

    init(mode: DeflateMode) {
        self.mode = mode
    }
}

extension ProxyConnection {
    /// Decides what to offer upstream; returns the header to add to the upstream request, if any.
    /// A connection takes a compression slot only when it may negotiate; without one it goes uncompressed.
    /// Retries to further pool members reuse what the first attempt decided (and its slot).
    func deflateOfferHeaders(route: RouteRuntime) -> [(String, String)] {
        if let state = deflateState { return state.upstreamOffer.map { [("Sec-WebSocket-Extensions", $0)] } ?? [] }
        guard route.policy.deflate != .off, let upgrade, runtime.compressionSlots.acquire() else { return [] }
        let state = ConnectionDeflate(mode: route.policy.deflate)
        deflateState = state
        let offers = ExtensionList.parse(upgrade.head.headers.values("Sec-WebSocket-Extensions"))
        switch state.mode {
        case .off:
            break
        case .passThrough:
            // After first-message authentication the client has its 101 already, without an extension.
            let forwardable = clientUpgraded ? [] : DeflateNegotiation.forwardableOffers(offers)
            if !forwardable.isEmpty { state.upstreamOffer = forwardable.joined(separator: ", ") }
        case .terminate:
            state.clientAgreement = clientUpgraded ? nil : DeflateNegotiation.negotiate(offers: offers)
            state.upstreamOffer = DeflateNegotiation.upstreamOffer
        }
        guard let offer = state.upstreamOffer else {
            if state.clientAgreement == nil { releaseCompressionSlot() }
            return []
        }
        return [("Sec-WebSocket-Extensions", offer)]
    }

    /// Checks the upstream's extension answer; returns the extension header for the client's 101, or nil
    /// after failing the connection (502) when the answer does not fit the offer.
    func deflateResponseHeaders(_ head: HTTPResponseHead) -> [(String, String)]? {
        guard let state = deflateState else { return [] }
        switch DeflateNegotiation.acceptResponse(head.headers, offer: state.upstreamOffer) {
        case .failure(let failure):
            attemptFailed(UpstreamFailure(status: 502, reason: "upstream refused the upgrade", detail: failure.reason))
            return nil
        case .success(let agreement):
            state.upstreamAgreement = agreement
        }
        let toClient = state.mode == .passThrough ? state.upstreamAgreement : state.clientAgreement
        if state.clientAgreement == nil && state.upstreamAgreement == nil { releaseCompressionSlot() }
        return toClient.map { [("Sec-WebSocket-Extensions", $0.headerValue)] } ?? []
    }

    /// Sets up both pumps for what was negotiated: RSV1 allowed where it was, and in terminate mode the
    /// inflaters and deflaters of each direction.
    func configureDeflate(pool: BufferPool, policy: RoutePolicy) {
        guard let state = deflateState, state.holdsSlot else { return }
        let limits = policy.limits
        let clientRSV: UInt8, upstreamRSV: UInt8
        if state.mode == .passThrough {
            clientRSV = state.upstreamAgreement == nil ? 0 : 0x40
            upstreamRSV = clientRSV
        } else {
            clientRSV = state.clientAgreement == nil ? 0 : 0x40
            upstreamRSV = state.upstreamAgreement == nil ? 0 : 0x40
        }
        c2u.configure(pool: pool, remask: policy.remask, maxMessageSize: limits.clientMessageLimit,
                      maxFrameSize: limits.clientFrameLimit, allowedRSV: clientRSV)
        u2c.configure(pool: pool, remask: false, maxMessageSize: limits.upstreamMessageLimit,
                      maxFrameSize: limits.upstreamFrameLimit, allowedRSV: upstreamRSV)
        guard state.mode == .terminate else { return }
        let fromClient = state.clientAgreement?.settings(as: .server)
        let toUpstream = state.upstreamAgreement?.settings(as: .client)
        if let fromClient {
            c2u.deflate = PumpDeflate(inflater: Inflater(fromClient.receive), deflater: toUpstream.map { Deflater($0.send, level: policy.deflateLevel) },
                                      maskOutgoing: true, limit: limits.clientMessageLimit)
        }
        if let toUpstream {
            u2c.deflate = PumpDeflate(inflater: Inflater(toUpstream.receive), deflater: fromClient.map { Deflater($0.send, level: policy.deflateLevel) },
                                      maskOutgoing: false, limit: limits.upstreamMessageLimit)
        }
    }

    /// A re-framed message went out toward `destination`: a close frame waiting for it follows, and the
    /// source's bytes held back behind it are scanned.
    func compressedMessageFlushed(toward destination: Endpoint) {
        let outbound = pump(of: peer(of: destination))
        outbound.messageFlushed = false
        sendPendingClose(to: destination)
        guard outbound.forwarding && outbound.hasUnparsedBytes else { return }
        // Inside a scan of that source the scan goes round again; a deep recursion per message would not do.
        if outbound.scanning {
            outbound.rescan = true
        } else {
            relayPending(from: peer(of: destination))
        }
    }

    /// `relayPending` for a pump that re-frames compressed messages: it scans again while a message it
    /// held back behind a re-framed one went out during the scan.
    func relayCompressed(from source: Endpoint) {
        let inbound = pump(of: source)
        inbound.scanning = true
        defer { inbound.scanning = false }
        repeat {
            inbound.rescan = false
            scanAndForward(from: source)
        } while inbound.rescan && state != .finished
    }

    /// Gives the compression slot back (once).
    func releaseCompressionSlot() {
        guard let state = deflateState, state.holdsSlot else { return }
        state.holdsSlot = false
        runtime.compressionSlots.release()
    }
}
