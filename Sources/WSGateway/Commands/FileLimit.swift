import Glibc
import WSIO

/// A proxied connection costs two descriptors, so the soft limit a service manager or container runtime
/// leaves (often 1024) would cap wsgate far below what the machine allows. Like nginx's
/// `worker_rlimit_nofile`, the soft limit is raised to the hard one at start.
enum FileLimit {
    @discardableResult
    static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(limit.rlim_cur)
    }
}
