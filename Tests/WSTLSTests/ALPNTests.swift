import COpenSSL
import Testing

@testable import WSTLS

@Suite("ALPN")
struct ALPNTests {
    private func connect(offering protocols: [String]?) throws -> TLSConnection {
        let server = try TLSServerContext(certificates: [try TestCertificates.server()])
        let client = try testClientContext { ctx in
            guard let protocols else { return }
            let wire = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            _ = SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count))
        }
        return try TLSConnection.established(server: server, client: client, serverName: "localhost")
    }

    @Test func selectsHTTP11() throws {
        let connection = try connect(offering: nil)
        #expect(connection.client.negotiatedALPN == "http/1.1")
        #expect(connection.server.negotiatedALPN == "http/1.1")
    }

    @Test func picksHTTP11AmongOthers() throws {
        let connection = try connect(offering: ["h2", "http/1.1"])
        #expect(connection.server.negotiatedALPN == "http/1.1")
    }

    @Test func doesNotAnswerWithoutHTTP11() throws {
        let connection = try connect(offering: ["h2", "spdy/3"])
        #expect(connection.client.negotiatedALPN == nil)
        #expect(connection.server.negotiatedALPN == nil)
    }

    private static let http11: [UInt8] = [8] + Array("http/1.1".utf8)
    private static let h2: [UInt8] = [2] + Array("h2".utf8)
    /// Wire-format lists and where `http/1.1` starts in them.
    static let wireLists: [([UInt8], Int?)] = [
        (http11, 1),
        (h2 + http11, 4),
        ([8] + Array("http/1.0".utf8), nil),
        ([9] + Array("http/1.1".utf8), nil),
        ([20, 1, 2], nil),
        ([0, 0] + http11, 3),
    ]

    @Test(arguments: wireLists)
    func findsHTTP11InWireList(list: [UInt8], offset: Int?) {
        #expect(list.withUnsafeBufferPointer { ALPNSelection.findHTTP11(in: $0) } == offset)
    }
}
