#if canImport(Glibc)
import Glibc
#endif

/// The one gate every input file passes before Podium reads it: only a regular file is opened
/// for reading.
///
/// The file is opened with `O_NONBLOCK` (so opening a FIFO with no writer, or a device, cannot
/// block) and checked with `fstat` before a single byte is read; a FIFO, directory, device or
/// socket is refused with `nonRegular` (`not_a_submission` for a submission, `unreadable_file`
/// for a challenge's own files). A socket cannot be opened at all (`ENXIO`); `stat` names it.
public enum RegularFile {
    /// Opens `path` read-only; returns the descriptor (the caller closes it) and the file's size.
    public static func open(_ path: String, nonRegular: IntakeError.Code = .unreadable) throws(IntakeError) -> (
        fd: Int32, size: Int
    ) {
        var fd: Int32
        repeat { fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let reason = errno
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
                throw refusal(path, st.st_mode, nonRegular)
            }
            throw IntakeError(.unreadable, "cannot open \(quotedPath(path)): \(String(cString: strerror(reason)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = errno
            close(fd)
            throw IntakeError(.unreadable, "cannot read \(quotedPath(path)): \(String(cString: strerror(reason)))")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw refusal(path, st.st_mode, nonRegular)
        }
        // A regular file never blocks; clear the flag so reads behave as usual.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, Int(st.st_size))
    }

    /// Refuses `path` unless it is a regular file, without reading it.
    public static func require(_ path: String, nonRegular: IntakeError.Code = .unreadable) throws(IntakeError) {
        let (fd, _) = try open(path, nonRegular: nonRegular)
        close(fd)
    }

    /// The first `count` bytes of a regular file (fewer if it is shorter).
    public static func head(_ path: String, count: Int, nonRegular: IntakeError.Code = .unreadable) throws(IntakeError)
        -> [UInt8]
    {
        let (fd, _) = try open(path, nonRegular: nonRegular)
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: count)
        var size = 0
        while size < count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + size, count - size) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw IntakeError(.unreadable, "cannot read \(quotedPath(path)): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            size += n
        }
        return Array(out[0..<size])
    }

    static func refusal(_ path: String, _ mode: mode_t, _ code: IntakeError.Code) -> IntakeError {
        let kind: String
        switch mode & S_IFMT {
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFDIR: kind = "a directory"
        case S_IFCHR, S_IFBLK: kind = "a device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a regular file"
        }
        return IntakeError(code, "\(quotedPath(path)) is \(kind); only a regular file is read")
    }

    static func quotedPath(_ path: String) -> String { "'" + IntakeError.quote(path) + "'" }
}
