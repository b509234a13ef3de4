#if DEBUG || WSGATE_FUZZ
import FuzzSupport
import WSProtocol

/// Compares what the pump wrote with what it should have: the expected frames in order (all of them, or
/// a prefix when the gateway split the connection), masked exactly when going upstream, with the
/// gateway's pings and close frame whole, at frame boundaries, where they were injected.
struct RelayOutputCheck {
    let expected: ExpectedRelay
    let session: RelaySession

    func verify() {
        let output = session.output
        var offset = 0
        var forwarded: [RelayFrame] = []
        output.withUnsafeBytes { bytes in
            while offset < bytes.count {
                guard let (header, frame) = RelayFrame.read(UnsafeRawBufferPointer(rebasing: bytes[offset...])) else {
                    fuzzCheck(false, "output at \(offset) of \(bytes.count) is not a frame header")
                    return
                }
                fuzzCheck(header.masked == session.setup.fromClient, "\(frame) masked \(header.masked)")
                if session.injectedPings.contains(offset) {
                    fuzzCheck(frame.opcode == WSOpcode.ping && frame.payload.count == 8 && frame.payload.withUnsafeBytes {
                        $0.loadUnaligned(as: UInt64.self) == RelayFuzzing.pingToken }, "injected ping came out as \(frame)")
                } else if offset == session.injectedClose {
                    fuzzCheck(frame.opcode == WSOpcode.close && frame.payload == [0x03, 0xE9] + Array("fuzz split".utf8),
                              "injected close came out as \(frame)")
                    fuzzCheck(offset + header.headerLength + frame.payload.count == bytes.count, "output after the gateway's close")
                } else {
                    forwarded.append(frame)
                }
                offset += header.headerLength + frame.payload.count
            }
        }
        if session.split {
            fuzzCheck(forwarded.count <= expected.frames.count && zip(forwarded, expected.frames).allSatisfy(==),
                      "after a split: forwarded \(forwarded), expected a prefix of \(expected.frames)")
        } else {
            fuzzCheck(forwarded == expected.frames, "forwarded \(forwarded), expected \(expected.frames)")
            fuzzCheck(RelayStop(session.stop) == expected.stop, "pump stopped with \(session.stop), expected \(expected.stop)")
        }
    }
}
#endif
