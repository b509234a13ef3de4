import Foundation
import Glibc
import Synchronization
import WSIO
import WSProtocol

/// A WebSocket backend in the test process that tells clients who it is: after its 101 it sends its name
/// as the first message, then echoes. A plain GET (no upgrade) gets `healthStatus`, for HTTP health checks.
/// It can be killed (listener closed, every connection cut) and restarted on the same port.
final class NamedBackend: Sendable {
    let name: String
    let port: UInt16
    /// Upgrades answered since start.
    let upgrades = Atomic<Int>(0)
    /// Status of plain HTTP requests (health checks).
    let healthStatus = Atomic<Int>(200)
    private let state = Mutex<(listenFD: Int32, generation: Int, live: [Int32])>((-1, 0, []))

    init(name: String) throws {
        self.name = name
        let fd = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!)
        port = Socket.localAddress(fd).port
        serve(fd)
    }

    /// "ws://127.0.0.1:PORT/" (or with another scheme).
    var url: String { "ws://127.0.0.1:\(port)/" }

    /// Connections open now.
    var liveConnections: Int { state.withLock { $0.live.count } }

    /// Like a crash: stops listening (new connections are refused) and cuts every open connection.
    func kill() {
        let (fd, live) = state.withLock { state -> (Int32, [Int32]) in
            let taken = (state.listenFD, state.live)
            state.listenFD = -1
            state.generation += 1
            return taken
        }
        if fd >= 0 { close(fd) }
        for connection in live { Glibc.shutdown(connection, Int32(SHUT_RDWR)) }
    }

    /// Listens on the same port again.
    func restart() throws {
        serve(try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: port)!))
    }

    deinit { kill() }

    private func serve(_ fd: Int32) {
        let generation = state.withLock { state -> Int in
            state.listenFD = fd
            return state.generation
        }
        Thread.detachNewThread { [self] in acceptLoop(fd, generation: generation) }
    }

    private func acceptLoop(_ listenFD: Int32, generation: Int) {
        while state.withLock({ $0.generation == generation }) {
            var entry = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 50) > 0 else { continue }
            var peer = SocketAddress()
            let accepted = state.withLock { state -> Int32? in
                guard state.generation == generation, let fd = try? Socket.accept(listenFD, peer: &peer) else { return nil }
                state.live.append(fd)
                return fd
            }
            guard let fd = accepted else { continue }
            Thread.detachNewThread { [self] in
                serveConnection(TestSocket(fd: fd, timeout: 30))
                state.withLock { $0.live.removeAll { $0 == fd } }
            }
        }
    }

    private func serveConnection(_ socket: TestSocket) {
        guard let request = try? HTTPRequestRecord.read(from: socket) else { return }
        guard let key = request.header("Sec-WebSocket-Key") else {
            let status = healthStatus.load(ordering: .relaxed)
            try? socket.send("HTTP/1.1 \(status) Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        }
        upgrades.add(1, ordering: .relaxed)
        let connection = WSTestConnection(socket: socket, isClient: false)
        do {
            try socket.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: \(WebSocketAccept.value(forKey: key))\r\n\r\n")
            try connection.send(opcode: Opcode.text, Array(name.utf8))
            while true {
                let frame = try connection.readFrame(timeout: 30)
                switch frame.opcode {
                case Opcode.close:
                    try connection.send(opcode: Opcode.close, frame.payload)
                    return
                case Opcode.ping: try connection.send(opcode: Opcode.pong, frame.payload)
                case Opcode.pong: continue
                default: try connection.send(opcode: frame.opcode, frame.payload)
                }
            }
        } catch {
            return
        }
    }
}
