import Foundation
import Testing
import WSGateway

extension Integration.Conformance {
    /// Autobahn 6.x: UTF-8 in text messages. wsgate leaves the check to the endpoints (docs/relay.md): valid
    /// text of every scalar width, split anywhere between fragments, passes; invalid UTF-8 reaches the
    /// backend, so the outcome is the backend's. The built-in echo does not validate and sends the bytes
    /// back; a Python `websockets` server fails the connection with 1007, which wsgate forwards.
    @Suite struct TextMessages {
        static let validText = "κόσμε · ħello ✓ 🚀 \u{10FFFF} \u{FFFD} ascii"
        /// Autobahn 6.3.1: "κόσμε" with a UTF-16 surrogate (ED A0 80) inside.
        static let invalidText: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80,
                                           0x65, 0x64, 0x69, 0x74, 0x65, 0x64]

        @Test("6.2.x/6.4.x: valid UTF-8 echoes whole and fragmented at every byte offset")
        func validUTF8EveryOffset() throws {
            let session = try EchoSession()
            defer { session.stop() }
            let bytes = Array(Self.validText.utf8)
            try session.client.sendText(Self.validText)
            try session.expectEcho(opcode: Opcode.text, bytes, frames: 1)
            for cut in 1..<bytes.count {
                try session.client.send(opcode: Opcode.text, Array(bytes[..<cut]), fin: false)
                try session.client.send(opcode: Opcode.continuation, Array(bytes[cut...]))
                try session.expectEcho(opcode: Opcode.text, bytes, frames: 2)
            }
            try session.finish()
        }

        @Test("6.3.x: invalid UTF-8 through wsgate to the built-in echo (which does not validate) comes back as sent")
        func invalidUTF8ToBuiltinEcho() throws {
            let session = try EchoSession()
            defer { session.stop() }
            try session.client.send(opcode: Opcode.text, Self.invalidText)
            try session.expectEcho(opcode: Opcode.text, Self.invalidText)
            try session.finish()
        }

        @Test("6.3.x: invalid UTF-8 through wsgate to a Python websockets server: 1007 from the server reaches the client",
              .enabled(if: PythonEchoServer.available, "no .build/interop-venv with websockets: scripts/test creates it"))
        func invalidUTF8ToPythonWebsockets() throws {
            let server = try PythonEchoServer()
            let gateway = try TestGateway(routes: [.init(name: "py", pathPrefix: "/py", upstreamPort: server.port)])
            defer {
                gateway.stop()
                withExtendedLifetime(server) {}
            }
            let client = try WSTestConnection.open(port: gateway.port, path: "/py")
            try client.sendText("valid first ✓")
            #expect(try client.readMessage().text == "valid first ✓")
            try client.send(opcode: Opcode.text, Self.invalidText)
            let (close, skipped) = try client.readClose(timeout: 10)
            #expect(close.closeCode == 1007, "\(close)")
            #expect(skipped.isEmpty, "the invalid text was echoed: \(skipped)")
            try client.sendClose(code: 1007)
            #expect(try client.socket.waitForEnd(timeout: 5))
        }
    }
}

/// A Python `websockets` echo server from the interop venv, on a free port, for as long as it is referenced.
final class PythonEchoServer {
    static let python = TestEnvironment.repositoryRoot + "/.build/interop-venv/bin/python"
    static let script = """
        import asyncio
        from websockets.asyncio.server import serve
        async def echo(ws):
            async for message in ws:
                await ws.send(message)
        async def main():
            async with serve(echo, "127.0.0.1", 0, max_size=None, ping_interval=None) as server:
                print(server.sockets[0].getsockname()[1], flush=True)
                await asyncio.Future()
        asyncio.run(main())
        """

    /// Whether the venv exists and can import `websockets`.
    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? runProcess(python, ["-c", "import websockets"]))?.status == 0
    }()

    let process = Process()
    let port: UInt16

    init() throws {
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-c", Self.script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        guard let port = UInt16(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestSocketError(description: "the Python websockets server did not report its port: \(line)")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: the child inherits the test process's signal mask, in which a gateway may have blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
