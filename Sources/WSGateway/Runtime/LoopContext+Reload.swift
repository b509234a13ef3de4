import WSIO

extension LoopContext {
    /// Serves new connections from `new`: unchanged listeners keep their sockets, new ones open,
    /// removed ones close. Established connections keep the runtime they started with; those whose
    /// route no longer exists get close 1001 after `graceMilliseconds` (0: left to finish on their own).
    func apply(_ new: GatewayRuntime, graceMilliseconds: UInt64) {
        let previous = runtime
        runtime = new
        var kept: [Listener] = []
        for listener in listeners {
            let unchanged = new.listeners.contains { $0.name == listener.name && $0.address.description == configuredAddress(of: listener, in: previous) }
            if unchanged { kept.append(listener) } else { listener.shutdown() }
        }
        for spec in new.listeners where !kept.contains(where: { $0.name == spec.name }) {
            do {
                kept.append(try openListener(spec, at: spec.address))
            } catch {
                Log.error("reload_listener_failed", ["listener": .string(spec.name), "error": .string(error.description)])
            }
        }
        replaceListeners(kept)
        startPoolMonitors()
        guard graceMilliseconds > 0 else { return }
        let routeNames = Set(new.routes.map(\.name))
        for connection in connections {
            if let route = connection.route, !routeNames.contains(route.name) {
                connection.retire(afterMilliseconds: graceMilliseconds)
            }
        }
    }

    private func configuredAddress(of listener: Listener, in runtime: GatewayRuntime) -> String {
        runtime.listeners.first { $0.name == listener.name }?.address.description ?? ""
    }
}
