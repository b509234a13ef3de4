// FramePump is internal to WSGateway: reaching it needs a module built for testing, which debug builds
// and scripts/fuzz (-enable-testing) provide and an ordinary release build does not.
#if DEBUG || WSGATE_FUZZ
@testable import WSGateway
import FuzzSupport
import Glibc
import WSIO
import WSProtocol

/// Drives the gateway's `FramePump` (one relay direction) over in-process socket pairs, without an event
/// loop: the input's stream is written in pieces to the source socket, read, scanned and flushed to the
/// destination socket the way `ProxyConnection` does, with keepalive pings and a gateway close injected
/// at chosen moments. The bytes that come out must be exactly the frames the input's stream holds up to
/// its first violation or close frame (unmasked payloads equal, mask keys fresh when re-masking), with
/// the gateway's own frames at frame boundaries, and every pooled buffer must come back.
///
/// First input byte: bit 0 client→upstream (masked), bit 1 re-mask, bit 2 small size limits, bit 3 a
/// keepalive ping is outstanding (client pongs carrying its token are removed), bit 4 inject a ping,
/// bit 5 the gateway closes part-way (inject close, then drain), bits 6–7 buffer size (256 B–32 KiB).
enum RelayFuzzing {
    static let pingToken: UInt64 = 0x7773_6761_7465_2121
    nonisolated(unsafe) static let keys = MaskKeySource()
    nonisolated(unsafe) static let sockets = SocketPairs()

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let config = input.first else { return }
        let stream = UnsafeRawBufferPointer(rebasing: input[1...])
        let setup = RelaySetup(config: config)
        let pool = BufferPool(bufferSize: setup.bufferSize, maxFree: 0)
        relay(stream, setup: setup, pool: pool, seed: Chunking.hash(input))
        fuzzCheck(pool.inUse == 0, "\(pool.inUse) pooled buffers not returned after the pump is gone")
    }

    private static func relay(_ stream: UnsafeRawBufferPointer, setup: RelaySetup, pool: BufferPool, seed: UInt64) {
        var session = RelaySession(setup: setup, pool: pool, sockets: sockets, keys: keys)
        var start = 0
        for (index, end) in Chunking.prefixEnds(count: stream.count, pieces: 4, seed: seed).enumerated() {
            session.deliver(UnsafeRawBufferPointer(rebasing: stream[start..<end]))
            start = end
            if index == 0 && setup.injectPing { session.injectPing() }
            if index == 1 && setup.gatewayCloses { session.gatewayClose() }
        }
        session.finish()
        RelayOutputCheck(expected: ExpectedRelay(stream: stream, setup: setup), session: session).verify()
    }
}

/// The settings one input's first byte chooses.
struct RelaySetup {
    let fromClient: Bool
    let remask: Bool
    let maxMessageSize: UInt64
    let maxFrameSize: UInt64
    let pongToken: UInt64?
    let injectPing: Bool
    let gatewayCloses: Bool
    let bufferSize: Int

    init(config: UInt8) {
        fromClient = config & 1 != 0
        remask = config & 2 != 0
        maxMessageSize = config & 4 != 0 ? 1_000 : .max
        maxFrameSize = config & 4 != 0 ? 300 : .max
        pongToken = config & 8 != 0 ? RelayFuzzing.pingToken : nil
        injectPing = config & 16 != 0
        gatewayCloses = config & 32 != 0
        bufferSize = [256, 1_024, 4_096, 32_768][Int(config >> 6)]
    }

    /// The validator a pump of this direction judges with.
    func validator() -> FrameSequenceValidator {
        FrameSequenceValidator(requireMasked: fromClient, maxMessageSize: maxMessageSize, maxFrameSize: maxFrameSize)
    }
}
#endif
