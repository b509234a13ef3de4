import Glibc
import Synchronization
import WSIO
import WSProtocol

/// The gateway's state on one event loop: its listeners, live connections, buffers and counters.
final class LoopContext {
    unowned let loop: EventLoop
    unowned let server: GatewayServer
    /// What new connections are served by; replaced by a reload.
    var runtime: GatewayRuntime
    /// Buffers for reading handshakes: the largest request head allowed (16 KiB) fits.
    let handshakePool: BufferPool
    let maskKeys = MaskKeySource()
    var stats = LoopStats()
    private(set) var connections: [ProxyConnection] = []
    /// Parallel to `connections`: whether each one got past both handshakes (for per-route counts).
    var relayed: [Bool] = []
    private(set) var listeners: [Listener] = []
    /// Health monitors of the runtime's pools (on the health loop only).
    var poolMonitors: [PoolMonitor] = []

    init(loop: EventLoop, runtime: GatewayRuntime, server: GatewayServer) {
        self.loop = loop
        self.server = server
        self.runtime = runtime
        handshakePool = loop.bufferPool(size: 16_384 + 1_024)
        if loop.index == Self.healthLoopIndex {
            // Runs once the loop runs (the server has set `loop.context` by then).
            loop.execute { loop in (loop.context as? LoopContext)?.startPoolMonitors() }
        }
    }

    /// Opens this loop's SO_REUSEPORT socket for every listener, at `addresses` (the first loop's
    /// bound addresses, so a configured port 0 means one port shared by every loop).
    func openListeners(at addresses: [SocketAddress]) throws(GatewayError) {
        for (spec, address) in zip(runtime.listeners, addresses) {
            listeners.append(try openListener(spec, at: address))
        }
    }

    func openListener(_ spec: ListenerRuntime, at address: SocketAddress) throws(GatewayError) -> Listener {
        do {
            let name = spec.name
            // Clients speak first (HTTP, TLS, PROXY): accept once they have, after one second at the latest.
            return try Listener(name: name, address: address, loop: loop, deferAcceptSeconds: 1) { [unowned self] fd, peer in
                // The current runtime's settings for this listener (a reload may have changed its TLS).
                guard let spec = self.runtime.listeners.first(where: { $0.name == name }) else {
                    close(fd)
                    return
                }
                self.accept(fd: fd, peer: peer, listener: spec)
            }
        } catch {
            throw GatewayError.listen(listener: spec.name, address: spec.address.description, error.description)
        }
    }

    private func accept(fd: Int32, peer: SocketAddress, listener: ListenerRuntime) {
        stats.accepted &+= 1
        let connection = ProxyConnection(fd: fd, peer: peer, listener: listener, context: self)
        admit(connection, peer: peer, listener: listener)
        connection.registryIndex = connections.count
        connections.append(connection)
        relayed.append(false)
        server.liveConnections.add(1, ordering: .relaxed)
        connection.start()
    }

    /// First-stage admission. A refused connection is still read up to its request head, so it can be
    /// answered with a real HTTP status (503, or 429 for the new-connection rate), as nginx's limit_conn.
    private func admit(_ connection: ProxyConnection, peer: SocketAddress, listener: ListenerRuntime) {
        let limits = runtime.limits
        let edge = listener.edge
        // Behind a trusted proxy the network to count is known only from its PROXY or forwarding header.
        let deferIP = edge.trustedProxies.contains(peer) && (edge.proxyProtocol || edge.realIPHeader != nil)
        let key = deferIP ? nil : limits.key(for: peer)
        if let key, let rate = limits.newConnectionRate, !rate.allow(ip: key, nowMilliseconds: loop.nowMilliseconds) {
            stats.recordLimitRejection(nil)
            connection.pendingRejection = (429, "too many new connections from this address", [("Retry-After", "1")])
            return
        }
        switch limits.admit(listener: listener.index, ip: key) {
        case .admitted(let lease):
            connection.lease = lease
            connection.ipAdmissionDeferred = deferIP
        case .rejected(let kind):
            connection.refuseForLimit(kind)
        }
    }

    func connectionFinished(_ connection: ProxyConnection, previousState: ProxyConnection.State) {
        stats.finished &+= 1
        stats.messagesFromClients &+= connection.c2u.messages
        stats.messagesFromUpstreams &+= connection.u2c.messages
        stats.bytesFromClients &+= connection.c2u.bytesIn
        stats.bytesFromUpstreams &+= connection.u2c.bytesIn
        let index = connection.registryIndex
        guard index >= 0, index < connections.count, connections[index] === connection else { return }
        recordEnd(of: connection)
        server.liveConnections.subtract(1, ordering: .relaxed)
        let last = connections.removeLast()
        let lastRelayed = relayed.removeLast()
        if index < connections.count {
            connections[index] = last
            relayed[index] = lastRelayed
            last.registryIndex = index
        }
        connection.registryIndex = -1
    }

    func replaceListeners(_ new: [Listener]) { listeners = new }

    func closeListeners() {
        for listener in listeners { listener.shutdown() }
        listeners.removeAll()
    }

    /// Stops accepting here and asks every connection to go away (close 1001).
    func beginShutdown() {
        stopPoolMonitors()
        closeListeners()
        for connection in connections { connection.shutdown() }
    }
}

/// Why the gateway could not start, with the listener or route concerned.
public enum GatewayError: Error, CustomStringConvertible {
    case listen(listener: String, address: String, String)
    case upstream(route: String, String)
    case tls(listener: String, String)
    case config(String)

    public var description: String {
        switch self {
        case .listen(let name, let address, let detail): "listener \(name) (\(address)): \(detail)"
        case .upstream(let route, let detail): "route \(route): upstream \(detail)"
        case .tls(let name, let detail): "listener \(name): TLS: \(detail)"
        case .config(let detail): detail
        }
    }
}
