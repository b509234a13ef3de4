import WSProtocol
import WSTLS

/// One end of a WebSocket connection driven by a test: a client masks what it sends, a server does not.
///
/// `@unchecked Sendable`: used by one thread at a time, like its socket.
final class WSTestConnection: @unchecked Sendable {
    let socket: TestSocket
    let isClient: Bool
    /// The handshake response the client got (nil on the server side).
    private(set) var response: HTTPResponse?

    init(socket: TestSocket, isClient: Bool, response: HTTPResponse? = nil) {
        self.socket = socket
        self.isClient = isClient
        self.response = response
    }

    /// Connects, optionally over TLS, and sends an opening handshake; returns the connection and the
    /// response whatever its status.
    static func attempt(port: UInt16, path: String = "/echo", host: String = "127.0.0.1", tls: TLSClientContext? = nil,
                        subprotocols: [String] = [], headers: [(String, String)] = [],
                        timeout: Double = 10) throws -> (WSTestConnection, HTTPResponse, key: String) {
        let socket = try TestSocket.connect(port: port, timeout: timeout)
        if let tls { try socket.startTLS(tls, serverName: "localhost") }
        let key = UpgradeRequestText.newKey()
        try socket.send(UpgradeRequestText.make(path: path, host: host, key: key, subprotocols: subprotocols,
                                                extraHeaders: headers))
        let response = try HTTPResponse.read(from: socket, readBody: true)
        return (WSTestConnection(socket: socket, isClient: true, response: response), response, key)
    }

    /// Opens a WebSocket through the gateway, requiring a correct 101.
    static func open(port: UInt16, path: String = "/echo", host: String = "127.0.0.1", tls: TLSClientContext? = nil,
                     subprotocols: [String] = [], headers: [(String, String)] = [],
                     timeout: Double = 10) throws -> WSTestConnection {
        let (connection, response, key) = try attempt(port: port, path: path, host: host, tls: tls,
                                                      subprotocols: subprotocols, headers: headers, timeout: timeout)
        guard response.status == 101 else {
            throw TestSocketError(description: "expected 101, got \(response)")
        }
        guard response.header("Sec-WebSocket-Accept") == WebSocketAccept.value(forKey: key) else {
            throw TestSocketError(description: "wrong Sec-WebSocket-Accept in \(response)")
        }
        return connection
    }

    // MARK: Sending

    /// Sends one frame, masked with a random key when this is the client end (unless `masked` says otherwise).
    func send(_ frame: WSFrame, masked: Bool? = nil, timeout: Double? = nil) throws {
        let key: UInt32? = masked ?? isClient ? UInt32.random(in: 1...UInt32.max) : nil
        try socket.send(frame.encoded(maskKey: key), timeout: timeout)
    }

    func send(opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, masked: Bool? = nil,
              timeout: Double? = nil) throws {
        try send(WSFrame(fin: fin, rsv: rsv, opcode: opcode, payload: payload), masked: masked, timeout: timeout)
    }

    func sendText(_ text: String) throws { try send(opcode: Opcode.text, Array(text.utf8)) }

    func sendClose(code: UInt16, reason: String = "") throws {
        try send(opcode: Opcode.close, WSFrame.closePayload(code: code, reason: reason))
    }

    // MARK: Receiving

    func readFrame(timeout: Double? = nil) throws -> WSFrame { try socket.readFrame(timeout: timeout) }

    /// A whole data message (fragments joined) and the control frames that arrived between its fragments.
    struct Message {
        var opcode: UInt8
        var payload: [UInt8]
        var frames: Int
        var controlFrames: [WSFrame]
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// Reads frames until a data message is complete; a close frame before that is an error.
    func readMessage(timeout: Double? = nil) throws -> Message {
        let deadline = Deadline.after(timeout ?? socket.timeout)
        var message = Message(opcode: 0, payload: [], frames: 0, controlFrames: [])
        while true {
            let frame = try readFrame(timeout: max(0.001, deadline.remaining))
            if frame.opcode >= Opcode.close {
                guard frame.opcode != Opcode.close else {
                    throw TestSocketError(description: "connection closed while reading a message: \(frame)")
                }
                message.controlFrames.append(frame)
                continue
            }
            if message.frames == 0 { message.opcode = frame.opcode }
            message.frames += 1
            message.payload += frame.payload
            if frame.fin { return message }
        }
    }

    /// Reads until a close frame, returning it and every frame skipped before it.
    func readClose(timeout: Double? = nil) throws -> (close: WSFrame, skipped: [WSFrame]) {
        let deadline = Deadline.after(timeout ?? socket.timeout)
        var skipped: [WSFrame] = []
        while true {
            let frame = try readFrame(timeout: max(0.001, deadline.remaining))
            if frame.opcode == Opcode.close { return (frame, skipped) }
            skipped.append(frame)
        }
    }

    /// Sends a close frame, reads the peer's, and requires the stream to end after it.
    @discardableResult
    func closeHandshake(code: UInt16 = 1000, reason: String = "", timeout: Double = 5) throws -> WSFrame {
        try sendClose(code: code, reason: reason)
        let (close, _) = try readClose(timeout: timeout)
        guard try socket.waitForEnd(timeout: timeout) else {
            throw TestSocketError(description: "connection still open \(timeout) s after the close handshake")
        }
        return close
    }
}
