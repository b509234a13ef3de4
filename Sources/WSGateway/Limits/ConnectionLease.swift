import Synchronization

/// The places one connection holds in the connection limits. Stages add to it as the relay learns who the
/// client is and where it goes; `release` gives everything back exactly once, however often it is called
/// (and `deinit` releases a lease that was dropped without it).
public final class ConnectionLease: Sendable {
    struct Holdings {
        var released = false
        var listener: Int
        var ip: IPAddressKey?
        var route: Int?
        var identity: IdentityKey?
    }

    let limits: ConnectionLimits
    /// Locked once per stage and once at release: per connection, never per message.
    let holdings: Mutex<Holdings>

    init(limits: ConnectionLimits, listener: Int) {
        self.limits = limits
        holdings = Mutex(Holdings(listener: listener))
    }

    /// Gives back every place held; later calls do nothing.
    public func release() {
        let held = holdings.withLock { holdings -> Holdings? in
            guard !holdings.released else { return nil }
            let held = holdings
            holdings = Holdings(released: true, listener: holdings.listener)
            return held
        }
        if let held { limits.giveBack(held) }
    }

    /// Whether `release` has run.
    public var isReleased: Bool { holdings.withLock { $0.released } }

    deinit {
        release()
    }
}

/// One identity on one route: identities are limited per route.
struct IdentityKey: Hashable, Sendable {
    let route: Int
    let identity: String
}
