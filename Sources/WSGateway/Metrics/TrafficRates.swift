/// Per-second rates between two snapshots at least `minimumWindowMilliseconds` apart: the admin
/// server keeps the last sample and refreshes the rates when a scrape comes late enough.
struct TrafficRates: Equatable {
    var windowSeconds: Double
    var messagesFromClients: Double
    var messagesFromUpstreams: Double
    var bytesFromClients: Double
    var bytesFromUpstreams: Double
    var upgrades: Double
}

struct TrafficRateTracker {
    static let minimumWindowMilliseconds: UInt64 = 1_000

    private var last: (atMilliseconds: UInt64, traffic: LiveTraffic, opened: UInt64)?
    private(set) var rates: TrafficRates?

    /// Takes a new snapshot; rates change only when the last sample is old enough.
    mutating func observe(_ snapshot: GatewaySnapshot) {
        let now = snapshot.takenAtMilliseconds
        let traffic = snapshot.traffic
        guard let last else {
            self.last = (now, traffic, snapshot.stats.opened)
            return
        }
        let elapsed = now &- last.atMilliseconds
        guard elapsed >= Self.minimumWindowMilliseconds else { return }
        let seconds = Double(elapsed) / 1000
        func rate(_ new: UInt64, _ old: UInt64) -> Double { new >= old ? Double(new - old) / seconds : 0 }
        rates = TrafficRates(
            windowSeconds: seconds,
            messagesFromClients: rate(traffic.messagesFromClients, last.traffic.messagesFromClients),
            messagesFromUpstreams: rate(traffic.messagesFromUpstreams, last.traffic.messagesFromUpstreams),
            bytesFromClients: rate(traffic.bytesFromClients, last.traffic.bytesFromClients),
            bytesFromUpstreams: rate(traffic.bytesFromUpstreams, last.traffic.bytesFromUpstreams),
            upgrades: rate(snapshot.stats.opened, last.opened))
        self.last = (now, traffic, snapshot.stats.opened)
    }
}
