import Glibc
import WSIO
import WSProtocol

/// The per-message path: no allocation, no reference counting beyond the loop's own.
extension BenchConnection {
    /// Reads once (more while TLS holds decrypted records), then handles every complete frame.
    func readFrames() {
        repeat {
            switch read(into: receiveBuffer + received, count: receiveCapacity - received) {
            case .bytes(let n): received += n
            case .wouldBlock: return
            case .eof:
                serverEnded()
                return
            case .failed(let code):
                connectionLost("read: \(String(cString: strerror(code)))")
                return
            }
            processFrames()
        } while (state == .open || state == .closing) && (tls?.hasBufferedPlaintext ?? false)
    }

    /// Verifies echoes and answers control frames in `[0, received)`; keeps a partial frame for later.
    ///
    /// A frame never exceeds the receive buffer (larger ones are violations), so the partial frame left
    /// behind always leaves room to read the rest of it.
    func processFrames() {
        let receivedAt = monotonicNanoseconds()
        let measuring = signals.measuring
        var scan = 0
        var echoed = 0
        frames: while state == .open || state == .closing {
            let available = received - scan
            let header: FrameHeader
            switch FrameHeader.parse(UnsafeRawBufferPointer(start: receiveBuffer + scan, count: available)) {
            case .incomplete: break frames
            case .invalid(let violation):
                protocolViolation(violation.reason)
                return
            case .header(let parsed): header = parsed
            }
            // RSV1 marks a compressed echo, allowed only on a data frame of a compressed connection.
            let compressed = header.rsv == 0x40 && compression != nil && header.opcode == payload.opcode
            guard !header.masked, header.rsv == 0 || compressed, WSOpcode.isKnown(header.opcode),
                header.payloadLength <= UInt64(receiveCapacity - header.headerLength)
            else {
                protocolViolation("frame header \(header) not allowed from a server here")
                return
            }
            let length = Int(header.payloadLength)
            guard available >= header.headerLength + length else { break frames }
            let body = UnsafeRawPointer(receiveBuffer + scan + header.headerLength)
            scan += header.headerLength + length
            switch header.opcode {
            case payload.opcode where header.fin:
                if echoReceived(body, length: length, compressed: compressed, receivedAt: receivedAt, measuring: measuring) {
                    echoed += 1
                }
            case WSOpcode.ping:
                queuePong(body, length: length)
            case WSOpcode.pong:
                break
            case WSOpcode.close:
                closeFrameReceived(body, length: length)
            default:
                stats.errors.verification += 1
                stats.note("unexpected frame: opcode \(header.opcode), fin \(header.fin), \(length) bytes")
            }
        }
        guard state == .open || state == .closing else { return }
        received -= scan
        if received > 0 && scan > 0 { memmove(receiveBuffer, receiveBuffer + scan, received) }
        if echoed > 0 { echoesVerified(echoed) }
        flush()
    }

    /// Inflates a compressed echo, then verifies it; true when it is the next message, intact. An echo that
    /// does not inflate leaves the connection's decompression context broken, so the connection ends.
    @inline(__always)
    private func echoReceived(_ body: UnsafeRawPointer, length: Int, compressed: Bool, receivedAt: UInt64,
                              measuring: Bool) -> Bool {
        guard compressed else {
            return verifyEcho(body, length: length, wireLength: length, receivedAt: receivedAt, measuring: measuring)
        }
        guard let message = compression!.inflate(body, length: length) else {
            stats.errors.verification += 1
            stats.note("compressed echo of \(length) bytes is not deflate data of at most \(payload.size) bytes")
            fail()
            return false
        }
        return verifyEcho(message.baseAddress ?? body, length: message.count, wireLength: length,
                          receivedAt: receivedAt, measuring: measuring)
    }

    /// Checks one echoed message against what was sent; true when it is the next one, intact.
    @inline(__always)
    private func verifyEcho(_ body: UnsafeRawPointer, length: Int, wireLength: Int, receivedAt: UInt64,
                            measuring: Bool) -> Bool {
        guard nextToReceive < nextToSend, length == payload.size else {
            stats.errors.verification += 1
            stats.note("unexpected echo of \(length) bytes (\(nextToSend - nextToReceive) in flight)")
            return false
        }
        let sequence = nextToReceive
        nextToReceive &+= 1
        let sentAt = sendTimes[Int(truncatingIfNeeded: sequence % UInt64(depth))]
        guard payload.matches(body, sequence: sequence, sentAt: sentAt) else {
            stats.errors.verification += 1
            stats.note("echo of message \(sequence) differs from what was sent")
            return false
        }
        if measuring {
            stats.messages &+= 1
            stats.payloadBytes &+= UInt64(length)
            stats.wireBytesReceived &+= UInt64(wireLength)
            stats.latency.record(receivedAt &- sentAt)
        }
        return true
    }

    /// Load mode replaces each echo with a new message (one clock read for the batch), or with `--rate`
    /// lines up for the next turn; churn closes.
    private func echoesVerified(_ count: Int) {
        switch mode {
        case .load:
            guard state == .open else { return }
            if paced { worker.startWhenDue(self) } else { queueMessages(count, sentAt: monotonicNanoseconds()) }
        case .churn:
            if state == .open { startClose() }
        case .idle:
            break
        }
    }

    /// A turn of the pacer (`--rate`): churn starts a cycle; load sends one message, then lines up again
    /// while the connection has room for more in flight. A connection that dropped meanwhile lines up
    /// again once it is open.
    func takeTurn(at now: UInt64) {
        switch mode {
        case .churn:
            start()
        case .load:
            guard state == .open else { return }
            queueMessages(1, sentAt: now)
            flush()
            guard state == .open else { return }
            updateInterest()
            if nextToSend &- nextToReceive < UInt64(depth) { worker.startWhenDue(self) }
        case .idle:
            break
        }
    }

    /// Appends `count` new masked messages to the send buffer, compressed with `--deflate`.
    func queueMessages(_ count: Int, sentAt: UInt64) {
        let measuring = signals.measuring
        for _ in 0..<count {
            guard reserveSend(messageFrameCapacity) else { return }
            let sequence = nextToSend
            let frame = sendBuffer + sendEnd
            let wireLength: Int
            if let compression {
                guard let written = compression.writeFrame(into: frame, sequence: sequence, sentAt: sentAt,
                                                           maskKey: keys.next())
                else {
                    stats.errors.verification += 1
                    stats.note("could not compress message \(sequence) (zlib failed)")
                    fail()
                    return
                }
                sendEnd += written.frame
                wireLength = written.payload
            } else {
                sendEnd += payload.writeFrame(into: frame, sequence: sequence, sentAt: sentAt, maskKey: keys.next())
                wireLength = payload.size
            }
            nextToSend &+= 1
            sendTimes[Int(truncatingIfNeeded: sequence % UInt64(depth))] = sentAt
            if measuring {
                stats.payloadBytesSent &+= UInt64(payload.size)
                stats.wireBytesSent &+= UInt64(wireLength)
            }
        }
    }

    private func queuePong(_ body: UnsafeRawPointer, length: Int) {
        guard reserveSend(FrameWriter.maxControlFrameSize) else { return }
        sendEnd += FrameWriter.writeControlFrame(
            into: sendBuffer + sendEnd, opcode: WSOpcode.pong, payload: UnsafeRawBufferPointer(start: body, count: length),
            maskKey: keys.next())
        stats.pingsAnswered &+= 1
    }

    /// Churn: the echo came back, so say goodbye with 1000 and wait for the server's close and EOF.
    private func startClose() {
        guard reserveSend(FrameWriter.maxControlFrameSize) else { return }
        sendEnd += FrameWriter.writeCloseFrame(
            into: sendBuffer + sendEnd, code: CloseCode.normal.rawValue, reason: "", maskKey: keys.next())
        closeSent = true
        closeInitiated = true
        state = .closing
        timer = loop.schedule(afterMilliseconds: Self.closeTimeoutMilliseconds, target: self,
                              kind: TimerKind.deadline.rawValue)
    }

    /// The server's close frame: expected after ours (churn), otherwise counted by code and answered.
    private func closeFrameReceived(_ body: UnsafeRawPointer, length: Int) {
        closeReceived = true
        guard !closeSent else { return }
        let code = length >= 2
            ? UInt16(bigEndian: body.loadUnaligned(as: UInt16.self)) : CloseCode.noStatusReceived.rawValue
        stats.errors.unexpectedClose[code, default: 0] += 1
        stats.note("server sent close \(code) while \(state.rawValue)")
        if reserveSend(FrameWriter.maxControlFrameSize) {
            sendEnd += FrameWriter.writeCloseFrame(
                into: sendBuffer + sendEnd, code: CloseCode.normal.rawValue, reason: "", maskKey: keys.next())
        }
        closeSent = true
        state = .closing
        loop.cancel(&timer)
        timer = loop.schedule(afterMilliseconds: Self.closeTimeoutMilliseconds, target: self,
                              kind: TimerKind.deadline.rawValue)
    }

    /// The server closed its side: the end of a clean churn cycle, or an unexpected loss.
    private func serverEnded() {
        guard state == .closing, closeSent, closeReceived else {
            connectionLost("read: peer closed")
            return
        }
        guard closeInitiated else {
            fail()
            return
        }
        if signals.measuring { stats.cycles &+= 1 }
        finish()
        if signals.phase != .done { worker.startWhenDue(self) }
    }

    private func protocolViolation(_ detail: String) {
        stats.errors.protocolViolations += 1
        stats.note(detail)
        fail()
    }
}
