import WSIO
import WSTLS

/// The built-in WebSocket echo backend (`wsgate echo`, and the embedded default's upstream).
public final class EchoServer: @unchecked Sendable {
    private let address: SocketAddress
    private let tls: TLSServerContext?
    private let bufferSize: Int
    private let deflate: Bool
    private var states: [EchoLoopState] = []

    /// An echo server on `address`; with `deflate` it negotiates permessage-deflate with clients that offer it.
    public init(address: SocketAddress, tls: TLSServerContext? = nil, bufferSize: Int = 65_536, deflate: Bool = false) {
        self.address = address
        self.tls = tls
        self.bufferSize = bufferSize
        self.deflate = deflate
    }

    /// Opens a listening socket on each loop of `group`; call before the loops run.
    public func attach(to group: EventLoopGroup) throws(GatewayError) {
        var address = self.address
        for loop in group.loops {
            let state = EchoLoopState(loop: loop, pool: loop.bufferPool(size: bufferSize), tls: tls, deflate: deflate)
            do {
                let listener = try Listener(name: "echo", address: address, loop: loop) { [unowned state] fd, _ in
                    state.accept(fd)
                }
                state.listener = listener
                address = listener.boundAddress
            } catch {
                throw GatewayError.listen(listener: "echo", address: address.description, error.description)
            }
            states.append(state)
        }
    }

    /// The address actually bound (its port when 0 was asked for).
    public var boundAddress: SocketAddress? { states.first?.listener?.boundAddress }
}

private final class EchoLoopState {
    unowned let loop: EventLoop
    let pool: BufferPool
    let tls: TLSServerContext?
    let deflate: Bool
    var listener: Listener?
    private var connections: [EchoConnection] = []

    init(loop: EventLoop, pool: BufferPool, tls: TLSServerContext?, deflate: Bool) {
        self.loop = loop
        self.pool = pool
        self.tls = tls
        self.deflate = deflate
    }

    func accept(_ fd: Int32) {
        let connection = EchoConnection(fd: fd, loop: loop, pool: pool, tls: tls, negotiatesDeflate: deflate) {
            [unowned self] closed in
            self.remove(closed)
        }
        connection.registryIndex = connections.count
        connections.append(connection)
        connection.start()
    }

    private func remove(_ connection: EchoConnection) {
        let index = connection.registryIndex
        guard index >= 0, index < connections.count, connections[index] === connection else { return }
        let last = connections.removeLast()
        if index < connections.count {
            connections[index] = last
            last.registryIndex = index
        }
        connection.registryIndex = -1
    }
}
