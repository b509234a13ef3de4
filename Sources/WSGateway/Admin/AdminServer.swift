import Glibc
import WSIO

/// The admin HTTP listener, served by the first event loop: health, readiness, Prometheus metrics,
/// status JSON and the status page. Scrapes ask every loop for a snapshot, so the data path never
/// pays for metrics.
///
/// `@unchecked Sendable`: created on one thread, then used only on its loop's thread (`start` and
/// `stop` hop there through `execute`).
public final class AdminServer: EventHandler, @unchecked Sendable {
    /// Where the admin listener is bound (tells the port when 0 was asked for).
    public let boundAddress: SocketAddress
    let gateway: GatewayServer
    let loop: EventLoop
    let token: AdminToken?
    /// The gateway's listeners as bound when the admin server started.
    let listenerAddresses: [(name: String, address: SocketAddress)]
    private let fd: Int32
    private var openConnections = 0
    private var watching = false
    /// Each loop's last answer, shown (marked as not answered) when it misses a scrape.
    var lastSnapshots: [LoopSnapshot?]
    var rates = TrafficRateTracker()

    /// Admin connections served at once; more are closed at accept.
    static let maxConnections = 32
    /// How long a scrape waits for the loops.
    static let scrapeTimeoutMilliseconds: UInt64 = 1_000

    /// Binds the admin address and loads the token file; nothing is served until `start`.
    public init(config: AdminConfig, gateway: GatewayServer) throws(GatewayError) {
        guard let address = SocketAddress(host: config.address.host, port: config.address.port) else {
            throw GatewayError.listen(listener: "admin", address: config.address.description, "not a numeric address")
        }
        if let path = config.tokenFile {
            do {
                token = try AdminToken.load(path: path)
            } catch {
                throw GatewayError.config("admin.token_file: \(error.description)")
            }
        } else {
            token = nil
        }
        do {
            fd = try AdminListenSocket.open(address)
        } catch {
            throw GatewayError.listen(listener: "admin", address: address.description, error.description)
        }
        boundAddress = Socket.localAddress(fd)
        self.gateway = gateway
        loop = gateway.group.loops[0]
        listenerAddresses = gateway.boundAddresses
        lastSnapshots = [LoopSnapshot?](repeating: nil, count: gateway.group.loops.count)
    }

    /// Starts serving on the first loop (before or after the loops started).
    public func start() {
        loop.execute { [self] loop in
            do throws(IOError) {
                try loop.register(fd: fd, handler: self, interest: Interest.read)
                watching = true
            } catch {
                Log.error("admin_listen_failed", ["address": .string(boundAddress.description), "error": .string(error.description)])
            }
        }
    }

    /// Stops accepting and closes the listening socket; exchanges in progress finish.
    public func stop() {
        loop.execute { [self] loop in
            if watching { loop.unwatch(fd: fd) }
            watching = false
            close(fd)
        }
    }

    public override func handleEvent(fd: Int32, events: UInt32) {
        var peer = SocketAddress()
        for _ in 0..<16 {
            let client: Int32?
            do {
                client = try Socket.accept(fd, peer: &peer)
            } catch {
                Log.warn("admin_accept_failed", ["error": .string(error.description)])
                return
            }
            guard let client else { return }
            guard openConnections < Self.maxConnections else {
                close(client)
                continue
            }
            openConnections += 1
            AdminConnection(fd: client, server: self).start()
        }
    }

    func connectionClosed() { openConnections -= 1 }
}
