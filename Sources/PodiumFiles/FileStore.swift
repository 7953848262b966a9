import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

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
    public func store(_ source: String) throws(JudgeError) -> (sha256: String, bytes: Int) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw JudgeError.store("unreadable_file", "cannot open \(source): \(errnoText())") }
        defer { close(input) }
        try makeDirectory(root)
        let temporary = "\(root)/.incoming-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw JudgeError.writing("cannot create \(temporary)") }
        let copied = copyHashing(input, source, to: output, temporary)
        close(output)
        let digest: String
        let total: Int
        switch copied {
        case .success(let result): (digest, total) = (result.sha256, result.bytes)
        case .failure(let failure):
            unlink(temporary)
            throw failure
        }
        let folder = "\(root)/\(digest.prefix(2))"
        try makeDirectory(folder)
        let final = path(digest)
        if access(final, F_OK) == 0 && verify(digest) {
            unlink(temporary)  // the same content is already stored
        } else if rename(temporary, final) != 0 {
            let error = JudgeError.writing("cannot move \(temporary) into place")
            unlink(temporary)
            throw error
        }
        syncDirectory(folder)
        return (digest, total)
    }

    /// Stores bytes already in memory; returns their digest.
    public func store(bytes: UnsafeRawBufferPointer) throws(JudgeError) -> String {
        try makeDirectory(root)
        let digest = SHA256.hex(bytes)
        let folder = "\(root)/\(digest.prefix(2))"
        try makeDirectory(folder)
        let final = path(digest)
        if access(final, F_OK) == 0 && verify(digest) { return digest }
        let temporary = "\(root)/.incoming-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw JudgeError.writing("cannot create \(temporary)") }
        var done = 0
        var failure: JudgeError? = nil
        while done < bytes.count {
            let n = write(output, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = JudgeError.writing("cannot write \(temporary)")
                break
            }
            done += n
        }
        if failure == nil && fsync(output) != 0 { failure = JudgeError.writing("cannot fsync \(temporary)") }
        close(output)
        if failure == nil && rename(temporary, final) != 0 {
            failure = JudgeError.writing("cannot move \(temporary) into place")
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
    public func hash(_ file: String) throws(JudgeError) -> String {
        let fd = try openRegular(file).fd
        defer { close(fd) }
        let hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw JudgeError.store("unreadable_file", "cannot read \(file): \(errnoText())") }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalize()
    }
}

/// Opens a regular file for reading; returns its descriptor (the caller closes it) and its
/// permission bits. `O_NONBLOCK` and `fstat`: a FIFO or device is refused, never read until it
/// ends; `O_NOFOLLOW`: a link is refused when `followLinks` is false.
func openRegular(_ file: String, followLinks: Bool = true) throws(JudgeError) -> (fd: Int32, mode: mode_t) {
    let fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
    guard fd >= 0 else { throw JudgeError.store("missing_file", "cannot open \(file): \(errnoText())") }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
        close(fd)
        throw JudgeError.store("unreadable_file", "\(file) is not a regular file")
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return (fd, st.st_mode & 0o777)
}

/// Copies everything `input` still holds into `output`, 1 MiB at a time, hashing the bytes as
/// they pass, then fsyncs `output`; returns the SHA-256 and the byte count. The names are for
/// messages only; the caller opens and closes both descriptors.
func copyHashing(_ input: Int32, _ source: String, to output: Int32, _ target: String) -> Result<
    (sha256: String, bytes: Int), JudgeError
> {
    let hasher = SHA256()
    var total = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return .failure(JudgeError.store("unreadable_file", "cannot read \(source): \(errnoText())"))
        }
        if n == 0 { break }
        chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        total += n
        if let failure = writeAll(output, chunk, n) { return .failure(failure) }
    }
    guard fsync(output) == 0 else { return .failure(JudgeError.writing("cannot fsync \(target)")) }
    return .success((hasher.finalize(), total))
}

func writeAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) -> JudgeError? {
    var done = 0
    while done < count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            return JudgeError.writing("cannot write")
        }
        done += n
    }
    return nil
}
