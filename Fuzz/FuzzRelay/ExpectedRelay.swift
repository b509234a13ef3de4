#if DEBUG || WSGATE_FUZZ
@testable import WSGateway
import WSProtocol

/// A frame as the relay check compares it: header fields and the (unmasked) payload bytes present.
struct RelayFrame: Equatable, CustomStringConvertible {
    var fin: Bool
    var rsv: UInt8
    var opcode: UInt8
    var declaredLength: UInt64
    var payload: [UInt8]

    var description: String { "frame(op \(opcode) fin \(fin) rsv \(rsv) len \(declaredLength) have \(payload.count))" }

    /// Reads the frame at the start of `bytes` (the payload may be cut short by the end of `bytes`).
    static func read(_ bytes: UnsafeRawBufferPointer) -> (header: FrameHeader, frame: RelayFrame)? {
        guard case .header(let h) = FrameHeader.parse(bytes) else { return nil }
        let available = bytes.count - h.headerLength
        let length = h.payloadLength > UInt64(available) ? available : Int(h.payloadLength)
        var payload = Array(bytes[h.headerLength..<(h.headerLength + length)])
        if h.masked { payload.withUnsafeMutableBytes { _ = applyMask($0, key: h.maskKey, phase: 0) } }
        return (h, RelayFrame(fin: h.fin, rsv: h.rsv, opcode: h.opcode, declaredLength: h.payloadLength, payload: payload))
    }
}

/// Why forwarding should stop, as the pump reports it.
enum RelayStop: Equatable {
    case none
    case closeFrame
    case violation(FrameViolation.Kind)

    init(_ event: PumpEvent) {
        switch event {
        // A pump without a rate limit never reports throttling (RelaySession checks that).
        case .none, .frameFinished, .throttle, .rateExceeded: self = .none
        case .closeFrame: self = .closeFrame
        case .violation(let violation): self = .violation(violation.kind)
        }
    }
}

/// What one relay direction should forward from `stream`, worked out frame by frame without the pump:
/// every frame up to the first violation or close frame, except a client pong answering the outstanding
/// keepalive ping; a control frame only when whole, a data frame as far as it arrived.
struct ExpectedRelay {
    private(set) var frames: [RelayFrame] = []
    private(set) var stop = RelayStop.none

    init(stream: UnsafeRawBufferPointer, setup: RelaySetup) {
        var validator = setup.validator()
        var offset = 0
        while offset < stream.count {
            let rest = UnsafeRawBufferPointer(rebasing: stream[offset...])
            if case .invalid(let violation) = FrameHeader.parse(rest) {
                stop = .violation(violation.kind)
                return
            }
            guard let (header, frame) = RelayFrame.read(rest) else { return }
            if let violation = validator.check(header) {
                stop = .violation(violation.kind)
                return
            }
            let whole = frame.payload.count == Int(header.payloadLength)
            if WSOpcode.isControl(header.opcode) {
                guard whole else { return }
                if header.opcode == WSOpcode.close {
                    if case .failure(let violation) = frame.payload.withUnsafeBytes({ ClosePayload.parse($0) }) {
                        stop = .violation(violation.kind)
                    } else {
                        frames.append(frame)
                        stop = .closeFrame
                    }
                    return
                }
                if isKeepalivePong(frame, setup) {
                    offset += header.headerLength + frame.payload.count
                    continue
                }
            }
            frames.append(frame)
            offset += header.headerLength + frame.payload.count
        }
    }

    private func isKeepalivePong(_ frame: RelayFrame, _ setup: RelaySetup) -> Bool {
        guard setup.fromClient, frame.opcode == WSOpcode.pong, frame.payload.count == 8, let token = setup.pongToken
        else { return false }
        return frame.payload.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } == token
    }
}
#endif
