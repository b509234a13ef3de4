import WSIO

/// One scrape: asks every loop for its snapshot and hands the replies to `completion` on the home loop,
/// once all arrived or `timeoutMilliseconds` passed (a loop that has not answered by then gets nil).
///
/// `@unchecked Sendable`: the closures that carry it to other loops only send it back home through
/// `execute`; its state is read and written on the home loop's thread alone.
final class SnapshotGathering: TimerTarget, @unchecked Sendable {
    private let home: EventLoop
    private var replies: [LoopSnapshot?]
    private var pending: Int
    private var timer = TimerID.none
    private var completion: (([LoopSnapshot?]) -> Void)?
    /// Keeps this gathering alive until it completes: the timer wheel holds its targets unowned.
    private var keepAlive: SnapshotGathering?

    /// Starts a gathering; must be called on `home`'s thread.
    @discardableResult
    static func start(loops: [EventLoop], home: EventLoop, timeoutMilliseconds: UInt64,
                      completion: @escaping ([LoopSnapshot?]) -> Void) -> SnapshotGathering {
        let gathering = SnapshotGathering(home: home, loopCount: loops.count, completion: completion)
        gathering.keepAlive = gathering
        gathering.timer = home.schedule(afterMilliseconds: timeoutMilliseconds, target: gathering, kind: 0)
        for (position, loop) in loops.enumerated() {
            loop.execute { loop in
                let snapshot = (loop.context as? LoopContext)?.snapshot()
                home.execute { _ in gathering.receive(snapshot, at: position) }
            }
        }
        return gathering
    }

    private init(home: EventLoop, loopCount: Int, completion: @escaping ([LoopSnapshot?]) -> Void) {
        self.home = home
        replies = [LoopSnapshot?](repeating: nil, count: loopCount)
        pending = loopCount
        self.completion = completion
    }

    private func receive(_ snapshot: LoopSnapshot?, at position: Int) {
        guard completion != nil else { return }
        replies[position] = snapshot
        pending -= 1
        if pending == 0 { finish() }
    }

    func timerFired(kind: Int32) {
        timer = .none
        finish()
    }

    private func finish() {
        guard let completion else { return }
        self.completion = nil
        home.cancel(&timer)
        completion(replies)
        keepAlive = nil
    }
}
