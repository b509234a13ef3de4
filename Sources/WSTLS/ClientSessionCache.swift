import COpenSSL
import Synchronization

/// Resumable client sessions, one per server name, shared by a client context's connections.
///
/// Holds one reference on each stored session; sessions are only touched under the lock, and OpenSSL's
/// session reference counting is thread-safe.
final class ClientSessionCache: Sendable {
    /// An `SSL_SESSION *` this cache holds a reference on (`@unchecked Sendable`: only used under the lock).
    private struct Entry: @unchecked Sendable {
        let session: OpaquePointer
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounds memory when a client reaches many distinct hosts.
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    deinit {
        entries.withLock { stored in stored.values.forEach { SSL_SESSION_free($0.session) } }
    }

    /// Takes over the caller's reference to `session` as the newest one for `key`.
    func store(_ session: OpaquePointer, for key: String) {
        let entry = Entry(session: session)
        entries.withLock { stored in
            if stored[key] == nil, stored.count >= capacity, let victim = stored.keys.first {
                SSL_SESSION_free(stored.removeValue(forKey: victim)!.session)
            }
            if let replaced = stored.updateValue(entry, forKey: key) { SSL_SESSION_free(replaced.session) }
        }
    }

    /// Offers the stored session for `key` to a connection (`SSL *`) about to connect.
    func resume(_ ssl: OpaquePointer, for key: String) {
        entries.withLock { stored in
            if let entry = stored[key] { _ = SSL_set_session(ssl, entry.session) }
        }
    }
}
