import Foundation
import WSGateway
import WSIO

/// A gateway in this process configured from JSON text, as a configuration file would configure it,
/// so the edge tests exercise the real decoder as well as the relay. Every listener is moved to a free
/// port; the built-in echo backend runs beside it and its port is handed to the JSON builder.
///
/// `@unchecked Sendable`: started and stopped from the test's thread only; the loops own the rest.
final class PolicyGateway: @unchecked Sendable {
    let group: EventLoopGroup
    let server: GatewayServer
    let echo: EchoServer
    /// Bound port of each listener, by name.
    let ports: [String: UInt16]
    private var stopped = false

    /// `json(echoPort)` is a whole configuration file; its listener addresses only need to be distinct.
    init(loops: Int = 2, _ json: (_ echoPort: UInt16) -> String) throws {
        Log.setLevel(.error)
        group = try EventLoopGroup(count: loops)
        echo = EchoServer(address: SocketAddress(host: "127.0.0.1", port: 0)!)
        try echo.attach(to: group)
        var config = try ConfigLoader.parse(bytes: Array(json(echo.boundAddress!.port).utf8), baseDirectory: "/")
        for index in config.listeners.indices {
            config.listeners[index].address = SocketAddressSpec(host: "127.0.0.1", port: 0)
        }
        config.workers = loops
        server = try GatewayServer(runtime: try RuntimeBuilder.build(config), group: group)
        ports = Dictionary(uniqueKeysWithValues: server.boundAddresses.map { ($0.name, $0.address.port) })
        group.start()
    }

    /// The port of the listener named `main`.
    var port: UInt16 { ports["main"]! }

    /// Asks every connection to close, waits briefly for them, and stops the loops.
    func stop() {
        guard !stopped else { return }
        stopped = true
        server.beginShutdown()
        let deadline = Deadline.after(0.5)
        while server.connectionCount > 0 && !deadline.passed { usleep(10_000) }
        group.stop()
        group.join()
    }

    /// Waits until the gateway holds `count` connections (they end asynchronously after a close).
    func waitForConnections(_ count: Int, timeout: Double = 5) -> Bool {
        let deadline = Deadline.after(timeout)
        while server.connectionCount != count {
            if deadline.passed { return false }
            usleep(5_000)
        }
        return true
    }

    deinit { stop() }
}

/// A WebSocket upstream that records what the gateway sends it: each upgrade request, each data frame
/// (with its arrival time) and the close code it got; it echoes data frames back unless told not to.
final class RecordingUpstream: Sendable {
    /// A data frame as it arrived, stamped with `Deadline.now()`.
    struct Received: Sendable {
        var frame: WSFrame
        var at: Double
    }

    let requests: Mailbox<HTTPRequestRecord>
    let frames: Mailbox<Received>
    /// The close code each connection received from the gateway (nil: the stream ended without one).
    let closes: Mailbox<UInt16?>
    private let scripted: ScriptedUpstream

    var port: UInt16 { scripted.port }

    /// `echo`: send every data frame back; `subprotocol`: the one the upgrade answer selects.
    init(echo: Bool = true, subprotocol: String? = nil) throws {
        let (requests, frames, closes) = (Mailbox<HTTPRequestRecord>(), Mailbox<Received>(), Mailbox<UInt16?>())
        (self.requests, self.frames, self.closes) = (requests, frames, closes)
        scripted = try ScriptedUpstream { peer in
            requests.put(try peer.acceptUpgrade(subprotocol: subprotocol))
            while let frame = try? peer.connection.readFrame(timeout: 30) {
                if frame.opcode == Opcode.close {
                    closes.put(frame.closeCode)
                    try? peer.connection.send(opcode: Opcode.close, Array(frame.payload.prefix(2)))
                    return
                }
                guard frame.opcode < Opcode.close else { continue }
                frames.put(Received(frame: frame, at: Deadline.now()))
                if echo { try? peer.connection.send(WSFrame(fin: frame.fin, opcode: frame.opcode, payload: frame.payload)) }
            }
            closes.put(nil)
        }
    }

    /// Errors the upstream's script hit (an empty list is a clean run).
    var failures: [String] { scripted.failures.drain() }
}
