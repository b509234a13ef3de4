import Testing
@testable import WSIO

private final class Recorder: TimerTarget {
    var fired: [Int32] = []
    var onFire: ((Int32) -> Void)?
    func timerFired(kind: Int32) {
        fired.append(kind)
        onFire?(kind)
    }
}

@Suite struct TimerWheelTests {
    @Test func firesAfterDeadlineNotBefore() {
        let wheel = TimerWheel(nowMilliseconds: 1_000)
        let recorder = Recorder()
        _ = wheel.schedule(afterMilliseconds: 50, target: recorder, kind: 7)
        wheel.advance(toMilliseconds: 1_040)
        #expect(recorder.fired.isEmpty)
        wheel.advance(toMilliseconds: 1_060)
        #expect(recorder.fired == [7])
        #expect(wheel.count == 0)
    }

    @Test func timersBeyondOneRevolutionWaitForTheirRound() {
        let wheel = TimerWheel(nowMilliseconds: 0)
        let recorder = Recorder()
        let revolution = UInt64(4096) * TimerWheel.tickMilliseconds
        _ = wheel.schedule(afterMilliseconds: revolution + 500, target: recorder, kind: 1)
        wheel.advance(toMilliseconds: revolution)
        #expect(recorder.fired.isEmpty)
        wheel.advance(toMilliseconds: revolution + 510)
        #expect(recorder.fired == [1])
    }

    @Test func cancelledTimerNeverFires() {
        let wheel = TimerWheel(nowMilliseconds: 0)
        let recorder = Recorder()
        var id = wheel.schedule(afterMilliseconds: 20, target: recorder, kind: 1)
        wheel.cancel(&id)
        #expect(id == .none)
        wheel.advance(toMilliseconds: 100)
        #expect(recorder.fired.isEmpty)
    }

    @Test func staleHandleCancelsNothing() {
        let wheel = TimerWheel(nowMilliseconds: 0)
        let recorder = Recorder()
        var stale = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 1)
        wheel.advance(toMilliseconds: 20)
        // The node is reused by the next timer; the old handle must not cancel it.
        _ = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 2)
        wheel.cancel(&stale)
        wheel.advance(toMilliseconds: 40)
        #expect(recorder.fired == [1, 2])
    }

    @Test func callbackMayCancelAnotherDueTimerAndScheduleNew() {
        let wheel = TimerWheel(nowMilliseconds: 0)
        let recorder = Recorder()
        _ = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 1)
        _ = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 2)
        var third = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 3)
        recorder.onFire = { kind in
            guard kind == 1 else { return }
            wheel.cancel(&third)
            _ = wheel.schedule(afterMilliseconds: 10, target: recorder, kind: 4)
        }
        wheel.advance(toMilliseconds: 10)
        // Due timers fire oldest first; the first cancels the third, already due, which never fires.
        #expect(recorder.fired == [1, 2])
        wheel.advance(toMilliseconds: 30)
        #expect(recorder.fired == [1, 2, 4])
        #expect(wheel.count == 0)
    }

    @Test func hundredThousandConnectionsWithTwoTimersEach() {
        let wheel = TimerWheel(nowMilliseconds: 0)
        let recorder = Recorder()
        var ids: [TimerID] = []
        ids.reserveCapacity(200_000)
        for i in 0..<100_000 {
            ids.append(wheel.schedule(afterMilliseconds: 30_000 + UInt64(i % 1000), target: recorder, kind: 1))
            ids.append(wheel.schedule(afterMilliseconds: 60_000 + UInt64(i % 1000), target: recorder, kind: 2))
        }
        #expect(wheel.count == 200_000)
        // Cancel every idle timer (kind 2), as connections that saw traffic would re-arm them.
        for i in stride(from: 1, to: ids.count, by: 2) { wheel.cancel(&ids[i]) }
        #expect(wheel.count == 100_000)
        wheel.advance(toMilliseconds: 31_000)
        #expect(recorder.fired.count == 100_000)
        #expect(recorder.fired.allSatisfy { $0 == 1 })
        wheel.advance(toMilliseconds: 70_000)
        #expect(recorder.fired.count == 100_000)
        #expect(wheel.count == 0)
    }

    @Test func waitLastsUntilTheNextTimersTickOnlyWhenTimersExist() {
        let wheel = TimerWheel(nowMilliseconds: 1_003)
        #expect(wheel.waitMilliseconds(nowMilliseconds: 1_003) == -1)
        let recorder = Recorder()
        var late = wheel.schedule(afterMilliseconds: 5_000, target: recorder, kind: 1)
        // Tick 100 now; the timer's tick is 600, whose boundary is 6,000 ms.
        #expect(wheel.waitMilliseconds(nowMilliseconds: 1_003) == 4_997)
        _ = wheel.schedule(afterMilliseconds: 500, target: recorder, kind: 2)
        #expect(wheel.waitMilliseconds(nowMilliseconds: 1_003) == 497)
        wheel.advance(toMilliseconds: 1_500)
        #expect(recorder.fired == [2])
        #expect(wheel.waitMilliseconds(nowMilliseconds: 1_500) == 4_500)
        wheel.cancel(&late)
        #expect(wheel.waitMilliseconds(nowMilliseconds: 1_500) == -1)
    }

    @Test func waitFindsTimersAcrossTheWheelsWrapAndBeyondARevolution() {
        let revolution = UInt64(4096) * TimerWheel.tickMilliseconds
        // Tick 4,090: six slots before the wheel wraps to slot 0.
        let wheel = TimerWheel(nowMilliseconds: 40_900)
        let recorder = Recorder()
        _ = wheel.schedule(afterMilliseconds: 100, target: recorder, kind: 1)
        #expect(wheel.waitMilliseconds(nowMilliseconds: 40_900) == 100)
        wheel.advance(toMilliseconds: 41_000)
        #expect(recorder.fired == [1])
        // Due in the current slot's next revolution and beyond: the loop wakes once per revolution.
        _ = wheel.schedule(afterMilliseconds: revolution + 2_000, target: recorder, kind: 2)
        let wait = wheel.waitMilliseconds(nowMilliseconds: 41_000)
        #expect(wait == 2_000)
        wheel.advance(toMilliseconds: 41_000 + 2_000)
        #expect(recorder.fired == [1])
        #expect(wheel.waitMilliseconds(nowMilliseconds: 43_000) == Int32(revolution))
        wheel.advance(toMilliseconds: 43_000 + revolution)
        #expect(recorder.fired == [1, 2])
    }
}
