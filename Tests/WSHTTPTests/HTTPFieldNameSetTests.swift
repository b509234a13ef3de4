import Testing
@testable import WSHTTP

@Suite struct HTTPFieldNameSetTests {
    private func contains(_ set: HTTPFieldNameSet, _ name: String) -> Bool {
        Array(name.utf8).withUnsafeBytes { set.contains($0) }
    }

    @Test func matchesNamesInAnyCaseAndNothingElse() {
        let set: HTTPFieldNameSet = ["Sec-WebSocket-Key", "te", "x-forwarded-for"]
        #expect(contains(set, "sec-websocket-key"))
        #expect(contains(set, "SEC-WEBSOCKET-KEY"))
        #expect(contains(set, "TE"))
        #expect(contains(set, "X-Forwarded-For"))
        #expect(!contains(set, "sec-websocket-kex"))
        #expect(!contains(set, "t"))
        #expect(!contains(set, "x-forwarded-fo"))
        #expect(!contains(set, ""))
    }

    @Test func unionAddsNamesAndKeepsTheOriginal() {
        let base: HTTPFieldNameSet = ["host"]
        let grown = base.union(["Authorization", "a-name-longer-than-sixty-three-bytes-is-kept-in-the-last-length-bit"])
        #expect(contains(grown, "authorization"))
        #expect(contains(grown, "Host"))
        #expect(contains(grown, "A-NAME-LONGER-THAN-SIXTY-THREE-BYTES-IS-KEPT-IN-THE-LAST-LENGTH-BIT"))
        #expect(!contains(grown, "a-name-longer-than-sixty-three-bytes-is-kept-in-the-last-length-bix"))
        #expect(!contains(base, "authorization"))
    }
}
