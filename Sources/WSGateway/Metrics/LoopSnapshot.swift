/// Message and byte counts of the connections alive on a loop (finished ones are in `LoopStats`).
struct LiveTraffic: Sendable, Equatable {
    var messagesFromClients: UInt64 = 0
    var messagesFromUpstreams: UInt64 = 0
    var bytesFromClients: UInt64 = 0
    var bytesFromUpstreams: UInt64 = 0

    mutating func add(_ other: LiveTraffic) {
        messagesFromClients &+= other.messagesFromClients
        messagesFromUpstreams &+= other.messagesFromUpstreams
        bytesFromClients &+= other.bytesFromClients
        bytesFromUpstreams &+= other.bytesFromUpstreams
    }
}

/// One loop's state at one moment, taken on that loop and sent to the admin loop.
struct LoopSnapshot: Sendable {
    var loop: Int
    /// The runtime the loop serves, which names the routes and listeners its counters are indexed by.
    var runtime: GatewayRuntime
    var stats: LoopStats
    var live: LiveTraffic
    /// Connections in any state, handshaking ones included.
    var connections: Int
    /// Connections per listener index.
    var listenerConnections: [Int]
    var wakeups: UInt64
    var events: UInt64
    var buffersInUse: Int
    var takenAtMilliseconds: UInt64
}
