#if DEBUG || WSGATE_FUZZ
@testable import WSGateway
import FuzzSupport
import WSIO
import WSProtocol

/// One pump between the socket pairs, driven the way `ProxyConnection.pump(from:)` and
/// `relayPending(from:)` drive it, recording what came out and where the gateway's own frames went.
struct RelaySession {
    let setup: RelaySetup
    let pump: FramePump
    let source: Endpoint
    let destination: Endpoint
    let sockets: SocketPairs
    let keys: MaskKeySource
    private(set) var output: [UInt8] = []
    /// Output offsets at which the gateway's own ping and close frames begin.
    private(set) var injectedPings: [Int] = []
    private(set) var injectedClose: Int?
    /// The violation or close frame that stopped forwarding, as the pump reported it.
    private(set) var stop: PumpEvent = .none
    /// The gateway stopped relaying part-way (`gatewayClose`).
    private(set) var split = false
    private var closePending = false

    init(setup: RelaySetup, pool: BufferPool, sockets: SocketPairs, keys: MaskKeySource) {
        self.setup = setup
        self.sockets = sockets
        self.keys = keys
        sockets.discardLeftovers()
        pump = FramePump(fromClient: setup.fromClient, pool: pool, validator: setup.validator())
        pump.configure(pool: pool, remask: setup.remask, maxMessageSize: setup.maxMessageSize,
                       maxFrameSize: setup.maxFrameSize)
        source = Endpoint(role: setup.fromClient ? .client : .upstream)
        source.fd = sockets.sourceReader
        destination = Endpoint(role: setup.fromClient ? .upstream : .client)
        destination.fd = sockets.destinationWriter
    }

    /// Sends one piece of the input and relays until the source has nothing more to read.
    mutating func deliver(_ piece: UnsafeRawBufferPointer) {
        if piece.count > 0 { sockets.send(piece) }
        while pump.forwarding || pump.draining, pump.canRead {
            guard case .bytes = pump.read(from: source) else { break }
            relayPending()
        }
    }

    private mutating func relayPending() {
        var event = pump.draining ? pump.drain() : pump.process(keys: keys, pongToken: setup.pongToken, nowMilliseconds: 0)
        if case .frameFinished = event {
            if closePending { queueClose() }
            event = pump.drain()
        }
        switch event {
        case .none, .frameFinished: break
        case .closeFrame, .violation:
            if case .none = stop { stop = event }
            if case .violation = event { pump.discardInput() }
        case .throttle, .rateExceeded:
            fuzzCheck(false, "a rate-limit event from a pump that has no rate limit")
        }
        flush()
    }

    private mutating func flush() {
        guard case .drained = pump.flush(to: destination, closingNext: false) else {
            fuzzCheck(false, "the destination socket pair blocked or failed")
            return
        }
        sockets.receive(into: &output)
    }

    /// A keepalive ping of the gateway's own, as `ProxyConnection` sends toward the client.
    mutating func injectPing() {
        guard pump.forwarding else { return }
        let at = outputOffset
        let maskKey: UInt32? = setup.fromClient ? keys.next() : nil
        let queued = pump.inject(size: FrameWriter.maxControlFrameSize) { out in
            withUnsafeBytes(of: RelayFuzzing.pingToken) { token in
                FrameWriter.writeControlFrame(into: out, opcode: WSOpcode.ping, payload: token, maskKey: maskKey)
            }
        }
        if queued {
            injectedPings.append(at)
            flush()
        } else {
            fuzzCheck(!pump.atFrameBoundary || pump.hasUnparsedBytes, "inject refused at a frame boundary with room")
        }
    }

    /// The gateway stops relaying (`split`): a close frame goes out at the next frame boundary, then the
    /// source is only drained.
    mutating func gatewayClose() {
        guard pump.forwarding else { return }
        split = true
        if pump.atFrameBoundary { queueClose() } else { closePending = true }
        pump.startDraining()
        flush()
    }

    private mutating func queueClose() {
        closePending = false
        let at = outputOffset
        let maskKey: UInt32? = setup.fromClient ? keys.next() : nil
        if pump.inject(size: FrameWriter.maxControlFrameSize, { out in
            FrameWriter.writeCloseFrame(into: out, code: 1001, reason: "fuzz split", maskKey: maskKey)
        }) {
            injectedClose = at
        }
    }

    /// Where a frame inserted now lands in the output: after what went out and what is checked but unsent.
    private var outputOffset: Int { output.count + pump.parsed - pump.start }

    /// Ends the session: whatever is still checked goes out; the pump is dropped so its buffer returns.
    mutating func finish() {
        flush()
    }
}
#endif
