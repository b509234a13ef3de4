/// Something that owns timers on an event loop.
public protocol TimerTarget: AnyObject {
    /// Called on the loop's thread; `kind` is what was passed to `schedule`. The timer is already gone.
    func timerFired(kind: Int32)
}

/// A handle to a scheduled timer; `.none` when nothing is scheduled.
public struct TimerID: Equatable, Sendable {
    @usableFromInline var index: Int32
    @usableFromInline var generation: UInt32
    public static let none = TimerID(index: -1, generation: 0)
    public var isScheduled: Bool { index >= 0 }
}

/// A hashed timing wheel: O(1) schedule and cancel for any number of timers.
///
/// Nodes live in one growable array and link to each other by index, so timers cost no allocation
/// and no reference counting once the array has grown to the loop's peak. A timer due beyond one
/// revolution stays in its slot and is skipped until its deadline comes round.
public final class TimerWheel {
    public static let tickMilliseconds: UInt64 = 10
    static let slotCount = 4096
    static let slotMask = UInt64(slotCount - 1)

    struct Node {
        var deadline: UInt64 = 0
        var prev: Int32 = -1
        var next: Int32 = -1
        var slot: Int32 = -1
        var kind: Int32 = 0
        /// Bumped on release, so a handle kept past its timer's firing cancels nothing.
        var generation: UInt32 = 0
        unowned(unsafe) var target: (any TimerTarget)?
    }

    private var nodes: [Node] = []
    private var heads = [Int32](repeating: -1, count: TimerWheel.slotCount)
    /// One bit per slot that holds a timer, so the loop can sleep until the next one instead of waking
    /// every tick.
    private var occupied = [UInt64](repeating: 0, count: TimerWheel.slotCount / 64)
    /// The tick of the next occupied slot as last found, 0 when unknown. It stays a safe bound (never later
    /// than the true one) while timers only go: a schedule forgets it.
    private var nextOccupiedTick: UInt64 = 0
    private var freeHead: Int32 = -1
    private var dueHead: Int32 = -1
    private static let dueSlot: Int32 = -2
    private var currentTick: UInt64
    public private(set) var count = 0

    public init(nowMilliseconds: UInt64) {
        currentTick = nowMilliseconds / Self.tickMilliseconds
    }

    /// Schedules `target.timerFired(kind:)` after at least `milliseconds` (rounded up to a tick).
    public func schedule(afterMilliseconds milliseconds: UInt64, target: any TimerTarget, kind: Int32) -> TimerID {
        let ticks = max(1, (milliseconds + Self.tickMilliseconds - 1) / Self.tickMilliseconds)
        let deadline = currentTick + ticks
        let index = allocateNode()
        let slot = Int32(truncatingIfNeeded: deadline & Self.slotMask)
        nodes.withUnsafeMutableBufferPointer { n in
            n[Int(index)].deadline = deadline
            n[Int(index)].kind = kind
            n[Int(index)].target = target
            n[Int(index)].slot = slot
            n[Int(index)].prev = -1
            n[Int(index)].next = heads[Int(slot)]
            if heads[Int(slot)] >= 0 { n[Int(heads[Int(slot)])].prev = index }
        }
        heads[Int(slot)] = index
        occupied[Int(slot) >> 6] |= 1 << UInt64(slot & 63)
        nextOccupiedTick = 0
        count += 1
        return TimerID(index: index, generation: nodes[Int(index)].generation)
    }

    /// Cancels a scheduled timer and resets the handle; harmless on `.none`.
    public func cancel(_ id: inout TimerID) {
        guard id.index >= 0 else { return }
        guard nodes[Int(id.index)].generation == id.generation, nodes[Int(id.index)].slot != -1 else {
            id = .none
            return
        }
        unlink(id.index)
        releaseNode(id.index)
        id = .none
    }

    /// Fires every timer due by `nowMilliseconds`, in tick order.
    public func advance(toMilliseconds nowMilliseconds: UInt64) {
        let target = nowMilliseconds / Self.tickMilliseconds
        // After a long stall every slot is visited at most once.
        if target > currentTick + UInt64(Self.slotCount) { currentTick = target - UInt64(Self.slotCount) }
        while currentTick < target {
            currentTick += 1
            fireSlot(Int(currentTick & Self.slotMask))
        }
    }

    /// Milliseconds until the tick of the next slot holding a timer, or -1 with no timers (an epoll_wait
    /// timeout). A timer due in a later revolution wakes the loop once per revolution, early.
    public func waitMilliseconds(nowMilliseconds: UInt64) -> Int32 {
        guard count > 0 else { return -1 }
        if nextOccupiedTick <= currentTick { nextOccupiedTick = currentTick + ticksToNextOccupiedSlot() }
        let next = nextOccupiedTick * Self.tickMilliseconds
        return next > nowMilliseconds ? Int32(next - nowMilliseconds) : 0
    }

    /// Ticks from the current one to the next slot with a timer (1…slotCount; slotCount for the current slot
    /// itself, whose timers are a revolution away). 1 when none is found (only due timers are left).
    private func ticksToNextOccupiedSlot() -> UInt64 {
        let current = Int(currentTick & Self.slotMask)
        let words = occupied.count
        for step in 0...words {
            let start = current + 1 + step * 64
            let word = (start >> 6) % words
            // The first word is looked at from the slot after the current one, the last one (the same word
            // again, a revolution later) up to the current slot.
            var bits = occupied[word]
            if step == 0 { bits &= ~0 << UInt64(start & 63) }
            if bits == 0 { continue }
            let slot = word * 64 + bits.trailingZeroBitCount
            let distance = (slot - current) & Int(Self.slotMask)
            return distance == 0 ? UInt64(Self.slotCount) : UInt64(distance)
        }
        return 1
    }

    /// Moves the due nodes of a slot to the due list, then fires them one by one, so a callback may
    /// schedule or cancel any timer (even one that is due now) without disturbing the walk.
    private func fireSlot(_ slot: Int) {
        var index = heads[slot]
        while index >= 0 {
            let next = nodes[Int(index)].next
            if nodes[Int(index)].deadline <= currentTick {
                unlink(index)
                pushDue(index)
            }
            index = next
        }
        while dueHead >= 0 {
            let due = dueHead
            let node = nodes[Int(due)]
            unlink(due)
            releaseNode(due)
            // A strong reference for the call: the callback may drop the owner's last other one.
            if let target = node.target { target.timerFired(kind: node.kind) }
        }
    }

    private func pushDue(_ index: Int32) {
        nodes.withUnsafeMutableBufferPointer { n in
            n[Int(index)].slot = Self.dueSlot
            n[Int(index)].prev = -1
            n[Int(index)].next = dueHead
            if dueHead >= 0 { n[Int(dueHead)].prev = index }
        }
        dueHead = index
    }

    private func unlink(_ index: Int32) {
        nodes.withUnsafeMutableBufferPointer { n in
            let node = n[Int(index)]
            if node.prev >= 0 {
                n[Int(node.prev)].next = node.next
            } else if node.slot == Self.dueSlot {
                dueHead = node.next
            } else {
                heads[Int(node.slot)] = node.next
                if node.next < 0 { occupied[Int(node.slot) >> 6] &= ~(1 << UInt64(node.slot & 63)) }
            }
            if node.next >= 0 { n[Int(node.next)].prev = node.prev }
        }
    }

    private func allocateNode() -> Int32 {
        if freeHead >= 0 {
            let index = freeHead
            freeHead = nodes[Int(index)].next
            return index
        }
        nodes.append(Node())
        return Int32(nodes.count - 1)
    }

    private func releaseNode(_ index: Int32) {
        nodes.withUnsafeMutableBufferPointer { n in
            n[Int(index)].target = nil
            n[Int(index)].slot = -1
            n[Int(index)].generation &+= 1
            n[Int(index)].next = freeHead
        }
        freeHead = index
        count -= 1
    }
}
