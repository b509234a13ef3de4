import Glibc
import WSIO
import WSProtocol
import WSTLS

/// What `wsgate bench` does, resolved from its options once before any loop starts.
struct BenchPlan: Sendable {
    enum Mode: String, Sendable {
        /// Keep `depth` echoes in flight on every connection.
        case load
        /// Open the connections and hold them, answering pings.
        case idle
        /// Connect, upgrade, echo once, close, again.
        case churn
    }

    let mode: Mode
    let url: UpstreamURL
    let address: SocketAddress
    /// Local addresses to bind client sockets to in turn; empty means let the kernel choose.
    let sourceAddresses: [SocketAddress]
    let headers: [(String, String)]
    let tls: TLSClientContext?
    /// Sent as SNI and verified; nil turns off resumption (the TLS layer caches sessions per server name).
    let tlsServerName: String?
    let connections: Int
    let depth: Int
    let workers: Int
    let warmupMilliseconds: Int
    let durationMilliseconds: Int
    let payload: BenchPayload
    /// Connections offer permessage-deflate and compress what they send (`--deflate`).
    let deflate: Bool
    /// Send-buffer room for one message's frame: compressed frames may be a little larger than plain ones.
    let messageFrameCapacity: Int
    let sendCapacity: Int
    let receiveCapacity: Int
    /// Processes whose CPU time and memory are sampled at the edges of the measured window.
    let watchedPIDs: [Int32]
    /// Messages (or with churn, cycles) to start per second over all loops (`--rate`); nil starts each as
    /// soon as the previous one on its connection ended.
    let rate: Int?

    /// Connections of one loop that may be between connect() and the 101 at once, so a large `--conns`
    /// does not overflow the server's accept backlog.
    static let handshakeWindow = 256
    /// Room for pongs and a close frame next to the queued messages.
    private static let controlRoom = 512

    init(_ options: BenchOptions) throws(BenchError) {
        mode = options.idle ? .idle : (options.churn ? .churn : .load)
        url = options.url
        guard let address = SocketAddress(host: options.url.host, port: options.url.port) else {
            throw BenchError.hostNotNumeric(options.url.host)
        }
        self.address = address
        if options.sourceAddresses > 1 {
            guard address.family == Int32(AF_INET) else { throw BenchError.sourceAddressesNeedIPv4 }
            sourceAddresses = (1...options.sourceAddresses).map { SocketAddress(host: "127.0.0.\($0)", port: 0)! }
        } else {
            sourceAddresses = []
        }
        deflate = options.deflate
        headers = options.headers.map { ($0.name, $0.value) }
            + (deflate ? [("Sec-WebSocket-Extensions", BenchCompression.offer)] : [])
        if options.url.secure {
            do {
                tls = try TLSClientContext(caFile: options.caFile, verifyPeer: !options.insecure)
            } catch {
                throw BenchError.tls(error)
            }
            let resumes = mode != .churn || options.tlsResume
            tlsServerName = resumes ? options.url.host : nil
        } else {
            tls = nil
            tlsServerName = nil
        }
        connections = options.connections
        depth = mode == .load ? options.depth : 1
        let cores = EventLoopGroup.coreCount
        workers = Swift.min(Swift.max(1, options.workers.flatMap { $0 == 0 ? nil : $0 } ?? cores), options.connections)
        warmupMilliseconds = mode == .idle ? 0 : options.warmup
        durationMilliseconds = options.duration
        if options.payload == .text && options.messageSize < BenchPayload.minimumTextSize {
            throw BenchError.textPayloadTooSmall(size: options.messageSize)
        }
        payload = BenchPayload(size: options.messageSize, kind: options.payload)
        messageFrameCapacity = deflate ? Swift.max(payload.frameLength, payload.compressedFrameBound) : payload.frameLength
        let request = ClientRequestWriter.build(
            host: options.url.authority, target: options.url.path, key: WebSocketKey.generate(), headers: headers)
        let frames = depth * messageFrameCapacity
        sendCapacity = Swift.max(frames + Self.controlRoom, request.count + Self.controlRoom)
        // Idle connections only ever receive pings: keep them small so the bench itself holds many.
        receiveCapacity = mode == .idle ? 4_096 : Swift.max(16_384, 2 * messageFrameCapacity + Self.controlRoom)
        watchedPIDs = options.watchedPIDs
        rate = options.rate
        let bufferBytes = (sendCapacity + receiveCapacity) * connections
        guard bufferBytes <= Self.maxBufferBytes else { throw BenchError.buffersTooLarge(bytes: bufferBytes) }
    }

    /// Connection buffers are allocated up front; refuse plans that could not fit in memory.
    private static let maxBufferBytes = 8 << 30

    var secure: Bool { tls != nil }
}

/// Why `wsgate bench` could not start.
public enum BenchError: Error, CustomStringConvertible {
    case hostNotNumeric(String)
    case sourceAddressesNeedIPv4
    case tls(TLSError)
    case loops(IOError)
    case buffersTooLarge(bytes: Int)
    case textPayloadTooSmall(size: Int)

    /// What went wrong, naming the flag involved.
    public var description: String {
        switch self {
        case .hostNotNumeric(let host):
            return "--url: the host must be an IP address or localhost, got \"\(host)\""
        case .sourceAddressesNeedIPv4:
            return "--source-addresses needs an IPv4 loopback --url (127.0.0.x)"
        case .tls(let error):
            return error.description
        case .buffersTooLarge(let bytes):
            return "--conns × (--size × --depth) needs \(bytes >> 20) MiB of buffers; the limit is 8 GiB"
        case .textPayloadTooSmall(let size):
            return "--payload text needs --size of at least \(BenchPayload.minimumTextSize) bytes, got \(size)"
        case .loops(let error):
            return "starting event loops: \(error.description)"
        }
    }
}
