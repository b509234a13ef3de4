import WSIO

/// `POST /upstreams/ROUTE/HOST:PORT/drain` and `…/undrain`: an operator takes a pool member out of
/// rotation (no new connections; open ones get close 1012 after the pool's `drain_grace`) or puts it back.
extension AdminServer {
    static let upstreamActionPrefix = "/upstreams/"

    func upstreamAction(path: String) -> AdminResponse {
        let parts = path.dropFirst(Self.upstreamActionPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "drain" || parts[2] == "undrain",
              let routeName = Self.decoded(parts[0]), let memberName = Self.decoded(parts[1]) else {
            return .text(404, "expected POST /upstreams/ROUTE/HOST:PORT/drain or /undrain")
        }
        guard let route = gateway.runtime.routes.first(where: { $0.name == routeName }) else {
            return .text(404, "no route named \(routeName)")
        }
        guard let member = route.pool.member(named: memberName) else {
            return .text(404, "route \(routeName) has no upstream \(memberName) (it has \(route.pool.members.map(\.name).joined(separator: ", ")))")
        }
        let drain = parts[2] == "drain"
        if member.setDraining(drain, nowMilliseconds: loop.nowMilliseconds) && drain {
            for other in gateway.group.loops {
                other.execute { loop in (loop.context as? LoopContext)?.drainConnections(of: member) }
            }
        }
        (loop.context as? LoopContext)?.monitor(of: route.pool)?.observe(member, detail: drain ? "drain requested" : "undrain requested")
        let grace = route.pool.config.drainGrace
        let document: JSONOutput = .object([
            "route": .string(route.name), "upstream": .string(member.name),
            "state": .string(member.state(nowMilliseconds: loop.nowMilliseconds).rawValue),
            "connections": .integer(member.connections.load(ordering: .relaxed)),
            "drain_grace_seconds": grace > 0 ? .number(Double(grace) / 1000) : .null,
        ])
        return AdminResponse(status: 200, contentType: "application/json", body: Array(document.text.utf8))
    }

    /// A percent-decoded path segment (so `%5B::1%5D:9000` names `[::1]:9000`); nil if badly escaped.
    private static func decoded(_ segment: Substring) -> String? {
        QueryString.decode(segment.utf8).map { String(decoding: $0, as: UTF8.self) }
    }
}
