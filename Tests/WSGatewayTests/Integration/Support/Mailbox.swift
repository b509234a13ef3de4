import Foundation

/// Hands values from helper threads (scripted upstreams) to the test that waits for them.
final class Mailbox<Value: Sendable>: @unchecked Sendable {
    // `condition` guards `items`.
    private let condition = NSCondition()
    private var items: [Value] = []

    func put(_ value: Value) {
        condition.lock()
        items.append(value)
        condition.signal()
        condition.unlock()
    }

    /// The oldest value, waiting up to `timeout` seconds for one; nil if none came.
    func take(timeout: Double) -> Value? {
        let limit = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            guard condition.wait(until: limit) else { break }
        }
        return items.isEmpty ? nil : items.removeFirst()
    }

    /// Everything received so far, without waiting.
    func drain() -> [Value] {
        condition.lock()
        defer { condition.unlock() }
        let all = items
        items = []
        return all
    }
}
