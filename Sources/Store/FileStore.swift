#if canImport(Glibc)
import Glibc
#endif

/// Why the store could not do its job: a stable code and a message naming the file.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code): \(message)" }

    /// A failure to write under the home: `home_unavailable` when the environment refused
    /// (read-only, no permission, a file where a folder must be, no space: not a bug, exit 1),
    /// else `store_failed`. Call right after the failing system call, while `errno` is its.
    static func writing(_ message: String) -> StoreError {
        let environment = [EROFS, EACCES, EPERM, ENOTDIR, ENOENT, ENOSPC, EDQUOT, EISDIR, ELOOP, ENAMETOOLONG, EEXIST]
        let code = environment.contains(errno) ? "home_unavailable" : "store_failed"
        return StoreError(code, "\(message): \(errnoText())")
    }
}

/// Files stored by content: `root/ab/abcdef…` named by their SHA-256. A file is written to a
/// temporary name, fsynced, renamed into place and its folder fsynced, so a name that exists
/// always holds complete content; nothing is ever deleted.
public struct FileStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// The path of the stored file with this digest.
    public func path(_ sha256: String) -> String {
        "\(root)/\(sha256.prefix(2))/\(sha256)"
    }

    /// Copies `source` into the store (streaming, hashing as it goes); returns its digest and size.
    public func store(_ source: String) throws(StoreError) -> (sha256: String, bytes: Int) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StoreError("unreadable_file", "cannot open \(source): \(errnoText())") }
        defer { close(input) }
        try makeDirectory(root)
        let temporary = "\(root)/.incoming-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw StoreError.writing("cannot create \(temporary)") }
        let hasher = SHA256()
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var failure: StoreError? = nil
        while failure == nil {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = StoreError("unreadable_file", "cannot read \(source): \(errnoText())")
                break
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += n
            if let e = writeAll(output, chunk, n) { failure = e }
        }
        if failure == nil && fsync(output) != 0 { failure = StoreError.writing("cannot fsync \(temporary)") }
        close(output)
        if let failure {
            unlink(temporary)
            throw failure
        }
        let digest = hasher.finalize()
        let folder = "\(root)/\(digest.prefix(2))"
        try makeDirectory(folder)
        let final = path(digest)
        if access(final, F_OK) == 0 && verify(digest) {
            unlink(temporary)  // the same content is already stored
        } else if rename(temporary, final) != 0 {
            let error = StoreError.writing("cannot move \(temporary) into place")
            unlink(temporary)
            throw error
        }
        syncDirectory(folder)
        return (digest, total)
    }

    /// Stores bytes already in memory; returns their digest.
    public func store(bytes: UnsafeRawBufferPointer) throws(StoreError) -> String {
        try makeDirectory(root)
        let digest = SHA256.hex(bytes)
        let folder = "\(root)/\(digest.prefix(2))"
        try makeDirectory(folder)
        let final = path(digest)
        if access(final, F_OK) == 0 && verify(digest) { return digest }
        let temporary = "\(root)/.incoming-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw StoreError.writing("cannot create \(temporary)") }
        var done = 0
        var failure: StoreError? = nil
        while done < bytes.count {
            let n = write(output, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = StoreError.writing("cannot write \(temporary)")
                break
            }
            done += n
        }
        if failure == nil && fsync(output) != 0 { failure = StoreError.writing("cannot fsync \(temporary)") }
        close(output)
        if failure == nil && rename(temporary, final) != 0 {
            failure = StoreError.writing("cannot move \(temporary) into place")
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        syncDirectory(folder)
        return digest
    }

    /// Whether the stored file exists and still hashes to its name.
    public func verify(_ sha256: String) -> Bool {
        (try? hash(path(sha256))) == sha256
    }

    /// The SHA-256 of a file.
    public func hash(_ file: String) throws(StoreError) -> String {
        // O_NONBLOCK and fstat: a FIFO or device is refused, never read until it ends.
        let fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw StoreError("missing_file", "cannot open \(file): \(errnoText())") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw StoreError("unreadable_file", "\(file) is not a regular file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw StoreError("unreadable_file", "cannot read \(file): \(errnoText())") }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalize()
    }
}

func writeAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) -> StoreError? {
    var done = 0
    while done < count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            return StoreError.writing("cannot write")
        }
        done += n
    }
    return nil
}

/// Creates a folder and its parents (like `mkdir -p`).
public func makeDirectory(_ path: String) throws(StoreError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o755) != 0 && errno != EEXIST {
            throw StoreError.writing("cannot create \(current)")
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

func errnoText() -> String { String(cString: strerror(errno)) }
