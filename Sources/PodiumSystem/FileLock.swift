import Foundation
import PodiumDomain

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (`flock`) on a file, shared by every process on the machine;
/// released by `release()`, when the value goes away, or when the process ends (even killed).
public final class FileLock: @unchecked Sendable {
    private var fd: Int32

    private init(_ fd: Int32) { self.fd = fd }

    /// Takes the lock on `path` (created if needed), waiting up to `timeout` seconds; nil when
    /// another process still holds it then.
    public static func acquire(_ path: String, timeout: Double) throws(JudgeError) -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw JudgeError.store("store_failed", "cannot open the lock file \(path): \(errnoText())")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(fd)
                throw JudgeError.store("store_failed", "cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            guard Date() < deadline else {
                close(fd)
                return nil
            }
            usleep(10_000)
        }
        return FileLock(fd)
    }

    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
