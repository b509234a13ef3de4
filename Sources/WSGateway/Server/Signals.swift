import CEpoll
import Glibc

/// Termination and reload signals are taken synchronously on the main thread; every other thread
/// has them blocked (the mask is inherited by threads created after `blockProcessSignals`).
public enum Signals {
    public static func blockProcessSignals() {
        signal(SIGPIPE, SIG_IGN)
        var set = handledSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits up to `milliseconds` for SIGINT, SIGTERM or SIGHUP; nil on timeout.
    public static func wait(milliseconds: Int) -> Int32? {
        var set = handledSet()
        var timeout = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        let signal = sigtimedwait(&set, nil, &timeout)
        return signal > 0 ? signal : nil
    }

    private static func handledSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGHUP)
        return set
    }
}
