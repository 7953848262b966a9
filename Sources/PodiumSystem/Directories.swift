import PodiumDomain

#if canImport(Glibc)
import Glibc
#endif

extension JudgeError {
    /// A failure to write under the home: `home_unavailable` when the environment refused
    /// (read-only, no permission, a file where a folder must be, no space: not a bug, exit 1),
    /// else `store_failed`. Call right after the failing system call, while `errno` is its.
    public static func writing(_ message: String) -> JudgeError {
        let environment = [EROFS, EACCES, EPERM, ENOTDIR, ENOENT, ENOSPC, EDQUOT, EISDIR, ELOOP, ENAMETOOLONG, EEXIST]
        let code = environment.contains(errno) ? "home_unavailable" : "store_failed"
        return JudgeError.store(code, "\(message): \(errnoText())")
    }
}

/// Creates a folder and its parents (like `mkdir -p`).
public func makeDirectory(_ path: String) throws(JudgeError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o755) != 0 && errno != EEXIST {
            throw JudgeError.writing("cannot create \(current)")
        }
    }
}

/// fsyncs a folder so that a rename into it survives a crash.
public func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
}

public func errnoText() -> String { String(cString: strerror(errno)) }
