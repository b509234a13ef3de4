import Foundation
import Glibc
import Synchronization
import WSIO
import WSProtocol

/// A WebSocket upstream written by the test itself: it listens on 127.0.0.1 (a free port) and runs
/// `script` on its own thread for every connection the gateway opens, so a test can answer the upgrade
/// by hand, capture the request, misbehave, or vanish. Errors a script throws are kept in `failures`.
final class ScriptedUpstream: Sendable {
    let port: UInt16
    let failures = Mailbox<String>()
    private let listenFD: Int32
    private let stopped = Atomic<Bool>(false)

    init(script: @escaping @Sendable (UpstreamPeer) throws -> Void) throws {
        listenFD = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!)
        port = Socket.localAddress(listenFD).port
        Thread.detachNewThread { [self] in acceptLoop(script) }
    }

    /// Stops accepting (connections already running finish their scripts).
    func stop() {
        if !stopped.exchange(true, ordering: .acquiringAndReleasing) { Glibc.shutdown(listenFD, Int32(SHUT_RDWR)) }
    }

    deinit {
        stop()
        close(listenFD)
    }

    private func acceptLoop(_ script: @escaping @Sendable (UpstreamPeer) throws -> Void) {
        while !stopped.load(ordering: .acquiring) {
            var entry = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0, !stopped.load(ordering: .acquiring) else { continue }
            var peerAddress = SocketAddress()
            guard let fd = try? Socket.accept(listenFD, peer: &peerAddress) else { continue }
            let failures = self.failures
            Thread.detachNewThread {
                let peer = UpstreamPeer(socket: TestSocket(fd: fd))
                do {
                    try script(peer)
                } catch {
                    failures.put("\(error)")
                }
            }
        }
    }
}

/// One connection the gateway opened to a scripted upstream.
final class UpstreamPeer: @unchecked Sendable {
    let connection: WSTestConnection
    var socket: TestSocket { connection.socket }

    init(socket: TestSocket) {
        connection = WSTestConnection(socket: socket, isClient: false)
    }

    /// Reads the gateway's upgrade request.
    func readRequest(timeout: Double = 10) throws -> HTTPRequestRecord {
        try HTTPRequestRecord.read(from: socket, timeout: timeout)
    }

    /// Reads the upgrade request and answers 101, selecting `subprotocol` and answering `extensions`
    /// (a `Sec-WebSocket-Extensions` value); returns the request.
    @discardableResult
    func acceptUpgrade(subprotocol: String? = nil, extensions: String? = nil) throws -> HTTPRequestRecord {
        let request = try readRequest()
        guard let key = request.header("Sec-WebSocket-Key") else {
            throw TestSocketError(description: "upgrade request without Sec-WebSocket-Key")
        }
        var lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                     "Sec-WebSocket-Accept: \(WebSocketAccept.value(forKey: key))"]
        if let subprotocol { lines.append("Sec-WebSocket-Protocol: \(subprotocol)") }
        if let extensions { lines.append("Sec-WebSocket-Extensions: \(extensions)") }
        try socket.send(lines.joined(separator: "\r\n") + "\r\n\r\n")
        return request
    }
}
