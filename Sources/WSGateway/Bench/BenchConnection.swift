import Glibc
import WSHTTP
import WSIO
import WSProtocol
import WSTLS

/// One client connection of the bench, reused for every (re)connect of its slot.
///
/// Its buffers are allocated once: the send buffer holds up to `depth` queued frames plus control frames,
/// the receive buffer at least two whole echoed frames, so each echo is verified in place with no copy.
/// Life: stopped → connecting → (tlsHandshake) → upgrading → open → (closing) → stopped, and again after
/// a failure (100 ms later) or after each churn cycle (at once).
final class BenchConnection: EventHandler, TimerTarget {
    enum State: String {
        case stopped, connecting, tlsHandshake, upgrading, open, closing
    }

    enum TimerKind: Int32 {
        /// Reconnect after a failure.
        case retry = 0
        /// The handshake or the close handshake took too long.
        case deadline = 1
    }

    unowned let worker: BenchWorker
    /// `unowned(unsafe)`: touched on every event, and the loop outlives every connection (the engine drops
    /// the workers, and with them the connections, only after the loops have been joined).
    unowned(unsafe) let loop: EventLoop
    /// The worker's counters, keys and the run's signals, held directly so the per-message path does no
    /// reference counting through `worker`.
    let stats: BenchStats
    let keys: MaskKeySource
    let signals: BenchSignals
    let payload: BenchPayload
    /// Compression of every message (`--deflate`); nil sends them plain.
    let compression: BenchCompression?
    /// Send-buffer room reserved per message.
    let messageFrameCapacity: Int
    let mode: BenchPlan.Mode
    let depth: Int
    /// Work starts at the pacer's turns (`--rate`), not as soon as the last echo or cycle ended.
    let paced: Bool
    /// In the pacer's line; set and cleared by the pacer only.
    var awaitsTurn = false
    let source: SocketAddress?
    var state = State.stopped
    var fd: Int32 = -1
    var tls: TLSSession?
    var tlsWantsWrite = false
    var interest: UInt32 = 0
    var timer = TimerID.none

    let sendBuffer: UnsafeMutableRawPointer
    let sendCapacity: Int
    var sendStart = 0
    var sendEnd = 0
    let receiveBuffer: UnsafeMutableRawPointer
    let receiveCapacity: Int
    var received = 0

    /// Send time (monotonic ns) of each message in flight, indexed by sequence number modulo `depth`.
    let sendTimes: UnsafeMutablePointer<UInt64>
    var nextToSend: UInt64 = 0
    var nextToReceive: UInt64 = 0

    var requestKey = ""
    var responseParser = HTTPResponseHeadParser()
    var connectStarted: UInt64 = 0
    var closeSent = false
    var closeReceived = false
    /// The bench sent the first close frame (the end of a churn cycle), so the server's close is expected.
    var closeInitiated = false
    /// Counted in `BenchSignals.upConnections`.
    var isUp = false
    /// Still holds one of the worker's ramp-up handshake slots.
    var holdsRampSlot = false

    static let handshakeTimeoutMilliseconds: UInt64 = 10_000
    static let closeTimeoutMilliseconds: UInt64 = 5_000
    static let retryMilliseconds: UInt64 = 100

    init(worker: BenchWorker, plan: BenchPlan, source: SocketAddress?) {
        self.worker = worker
        loop = worker.loop
        stats = worker.stats
        keys = worker.keys
        signals = worker.signals
        payload = plan.payload
        compression = plan.deflate ? BenchCompression(payload: plan.payload) : nil
        messageFrameCapacity = plan.messageFrameCapacity
        mode = plan.mode
        depth = plan.depth
        paced = plan.rate != nil
        self.source = source
        sendCapacity = plan.sendCapacity
        sendBuffer = .allocate(byteCount: sendCapacity, alignment: 16)
        receiveCapacity = plan.receiveCapacity
        receiveBuffer = .allocate(byteCount: receiveCapacity, alignment: 16)
        sendTimes = .allocate(capacity: depth)
        sendTimes.initialize(repeating: 0, count: depth)
    }

    deinit {
        sendBuffer.deallocate()
        receiveBuffer.deallocate()
        sendTimes.deallocate()
    }

    override func handleEvent(fd: Int32, events: UInt32) {
        switch state {
        case .connecting:
            finishConnect()
        case .tlsHandshake:
            continueTLSHandshake()
        case .upgrading:
            if sendStart < sendEnd { flush() }
            if state == .upgrading && sendStart == sendEnd { readResponse() }
        case .open, .closing:
            if events & Interest.write != 0 { flush() }
            if state == .open || state == .closing { readFrames() }
        case .stopped:
            return
        }
        if state != .stopped { updateInterest() }
    }

    func timerFired(kind: Int32) {
        timer = .none
        switch TimerKind(rawValue: kind) {
        case .retry:
            start()
        case .deadline:
            if state == .closing {
                stats.errors.closeTimeouts += 1
                stats.note("no close handshake within \(Self.closeTimeoutMilliseconds) ms")
            } else {
                stats.errors.handshakeAborted += 1
                stats.note("no upgrade within \(Self.handshakeTimeoutMilliseconds) ms (stuck in \(state.rawValue))")
            }
            fail()
        case nil:
            break
        }
    }

    /// Registers the readiness the current state waits for, touching epoll only on a change.
    func updateInterest() {
        let wanted: UInt32
        switch state {
        case .connecting: wanted = Interest.write
        case .tlsHandshake: wanted = tlsWantsWrite ? Interest.write : Interest.read
        default: wanted = sendStart < sendEnd ? Interest.read | Interest.write : Interest.read
        }
        guard wanted != interest else { return }
        interest = wanted
        loop.modify(fd: fd, interest: wanted)
    }

    @inline(__always)
    func read(into pointer: UnsafeMutableRawPointer, count: Int) -> IOResult {
        guard let tls else { return Socket.read(fd, into: pointer, count: count) }
        return tls.read(into: UnsafeMutableRawBufferPointer(start: pointer, count: count)).readOutcome
    }

    @inline(__always)
    func write(from pointer: UnsafeRawPointer, count: Int) -> IOResult {
        guard let tls else { return Socket.write(fd, from: pointer, count: count) }
        return tls.write(UnsafeRawBufferPointer(start: pointer, count: count)).writeOutcome
    }

    /// Writes queued bytes until done or the socket is full.
    func flush() {
        while sendStart < sendEnd {
            switch write(from: sendBuffer + sendStart, count: sendEnd - sendStart) {
            case .bytes(let n): sendStart += n
            case .wouldBlock: return
            case .eof:
                connectionLost("write: peer closed")
                return
            case .failed(let code):
                connectionLost("write: \(String(cString: strerror(code)))")
                return
            }
        }
        sendStart = 0
        sendEnd = 0
    }

    /// Makes `count` bytes of room at the end of the send buffer; false if even compaction cannot.
    @inline(__always)
    func reserveSend(_ count: Int) -> Bool {
        if sendEnd + count <= sendCapacity { return true }
        if sendStart > 0 {
            memmove(sendBuffer, sendBuffer + sendStart, sendEnd - sendStart)
            sendEnd -= sendStart
            sendStart = 0
        }
        return sendEnd + count <= sendCapacity
    }

    /// The socket broke or the server vanished: an unexpected close unless the close handshake was done.
    func connectionLost(_ detail: @autoclosure () -> String) {
        switch state {
        case .connecting, .tlsHandshake, .upgrading:
            stats.errors.handshakeAborted += 1
            stats.note("\(detail()) during \(state.rawValue)")
        case .open, .closing:
            if !closeReceived {
                stats.errors.unexpectedClose[CloseCode.abnormalClosure.rawValue, default: 0] += 1
                stats.note("\(detail()) while \(state.rawValue), no close frame")
            }
        case .stopped:
            return
        }
        fail()
    }

    /// Ends this attempt and tries again shortly (unless the run is over).
    func fail() {
        finish()
        guard signals.phase != .done else { return }
        timer = loop.schedule(afterMilliseconds: Self.retryMilliseconds, target: self, kind: TimerKind.retry.rawValue)
    }

    /// Closes the socket and resets the per-connection state for the next attempt.
    ///
    /// No TLS close_notify: every path here is either a failure or the server having closed already.
    func finish() {
        guard state != .stopped else { return }
        loop.cancel(&timer)
        releaseRampSlot()
        if isUp {
            isUp = false
            signals.connectionDown()
        }
        tls = nil
        compression?.stop()
        loop.forget(fd: fd)
        close(fd)
        fd = -1
        interest = 0
        state = .stopped
        sendStart = 0
        sendEnd = 0
        received = 0
    }

    /// Lets the worker start the next connection of its ramp-up, once per connection.
    func releaseRampSlot() {
        guard holdsRampSlot else { return }
        holdsRampSlot = false
        worker.rampHandshakeEnded()
    }

    /// Closes the socket without any protocol step; used after the loops have stopped.
    func closeAtExit() {
        guard fd >= 0 else { return }
        loop.cancel(&timer)
        loop.forget(fd: fd)
        close(fd)
        fd = -1
        tls = nil
        state = .stopped
    }
}
