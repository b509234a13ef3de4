import CEpoll
import Glibc

/// A one-shot timer on the monotonic clock with nanosecond precision (a timerfd), for the few uses the
/// loop's timer wheel, counting 10 ms ticks, is too coarse for. Register `fd` with a loop for reading;
/// when it is readable the timer fired, and `clear()` makes it quiet again.
public final class PreciseTimer {
    public let fd: Int32

    public init() throws(IOError) {
        fd = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard fd >= 0 else { throw IOError("timerfd_create", errno: errno) }
    }

    deinit {
        close(fd)
    }

    /// Fires once at `nanoseconds` on the clock of `monotonicNanoseconds()`, or at once if that has passed.
    public func arm(atNanoseconds nanoseconds: UInt64) {
        // An all-zero time would disarm the timer instead.
        let at = max(nanoseconds, 1)
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(at / 1_000_000_000)
        spec.it_value.tv_nsec = Int(at % 1_000_000_000)
        timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    /// Consumes the expiry, so the descriptor is no longer readable.
    public func clear() {
        var expirations: UInt64 = 0
        _ = read(fd, &expirations, MemoryLayout<UInt64>.size)
    }
}
