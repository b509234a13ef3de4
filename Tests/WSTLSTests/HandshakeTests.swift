import COpenSSL
import Glibc
import Testing

@testable import WSTLS

@Suite("Handshake and data")
struct HandshakeTests {
    @Test func handshakesAndExchangesMessagesBothWays() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let connection = try TLSConnection.established(
            server: server, client: try testClientContext(), serverName: "localhost")
        #expect(connection.client.protocolVersion == "TLSv1.3")
        #expect(connection.server.protocolVersion == "TLSv1.3")
        #expect(connection.client.cipher.hasPrefix("TLS_"))
        #expect(connection.client.peerVerified)
        #expect(connection.server.serverName == "localhost")
        #expect(!connection.client.isSessionReused)

        #expect(try connection.transfer(Array("ping".utf8), fromClient: true) == Array("ping".utf8))
        #expect(try connection.transfer(Array("pong".utf8), fromClient: false) == Array("pong".utf8))
    }

    @Test func transfersOneMebibyteEachWaySimultaneouslyWithPartialWrites() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let connection = try TLSConnection.established(
            server: server, client: try testClientContext(), serverName: "localhost", smallBuffers: true)
        let upstream = patternBytes(1 << 20, seed: 7)
        let downstream = patternBytes(1 << 20, seed: 11)
        let clientWriter = Writer(connection.client, fd: connection.sockets.client, bytes: upstream)
        let serverWriter = Writer(connection.server, fd: connection.sockets.server, bytes: downstream)
        let serverReader = Reader(connection.server, fd: connection.sockets.server, expected: upstream.count)
        let clientReader = Reader(connection.client, fd: connection.sockets.client, expected: downstream.count)
        try pump([clientWriter.actor, serverWriter.actor, serverReader.actor, clientReader.actor])

        #expect(clientWriter.error == nil && serverWriter.error == nil)
        #expect(serverReader.received == upstream)
        #expect(clientReader.received == downstream)
        #expect(clientWriter.partialWrites > 0)
        #expect(serverWriter.partialWrites > 0)
    }

    @Test func rsaCertificateOverTLS12NegotiatesForwardSecretAEAD() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.rsa()])
        let client = try testClientContext { ctx in _ = wsg_SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) }
        let connection = try TLSConnection.established(server: server, client: client, serverName: "localhost")
        #expect(connection.client.protocolVersion == "TLSv1.2")
        let cipher = connection.server.cipher
        #expect(cipher.hasPrefix("ECDHE-RSA-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")), "\(cipher)")
        #expect(try connection.transfer(patternBytes(5000), fromClient: false) == patternBytes(5000))
    }

    @Test func clientCappedAtTLS11IsRejected() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let client = try testClientContext { ctx in
            // Old protocols need SHA-1, which OpenSSL 3 only allows at security level 0.
            SSL_CTX_set_security_level(ctx, 0)
            _ = SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0")
            _ = wsg_SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION)
            _ = wsg_SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION)
        }
        let outcome = try TLSConnection(server: server, client: client, serverName: "localhost").handshake()
        let error = try #require(outcome.server)
        #expect(error.operation == "handshake")
        #expect(error.openSSLErrors.contains { $0.contains("unsupported protocol") }, "\(error)")
    }

    @Test func bufferedPlaintextIsReadableWithoutSocketReadiness() throws {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let connection = try TLSConnection.established(
            server: server, client: try testClientContext(), serverName: "localhost")
        let message = patternBytes(100)
        for _ in 0..<3 {
            let writer = Writer(connection.client, fd: connection.sockets.client, bytes: message)
            try pump([writer.actor])
        }
        var readiness = pollfd(fd: connection.sockets.server, events: Int16(POLLIN), revents: 0)
        #expect(poll(&readiness, 1, 5000) == 1)

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 10)
        repeat {
            guard case .bytes(let count) = buffer.withUnsafeMutableBytes({ connection.server.read(into: $0) }) else {
                Issue.record("read did not return bytes while plaintext was buffered")
                break
            }
            received += buffer[0..<count]
            if received.count == 10 {
                // Everything already left the socket: only hasBufferedPlaintext says there is more.
                #expect(poll(&readiness, 1, 0) == 0)
            }
        } while connection.server.hasBufferedPlaintext
        #expect(received == message + message + message)
    }
}
