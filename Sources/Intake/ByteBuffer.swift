#if canImport(Glibc)
import Glibc
#endif

/// Read-only bytes of a whole file: mapped from disk, or decompressed into memory.
///
/// Immutable after creation, so it may be shared across threads.
public final class ByteBuffer: @unchecked Sendable {
    public let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    /// Takes ownership of `malloc`ed memory.
    init(owning pointer: UnsafeMutablePointer<UInt8>?, count: Int) {
        bytes = UnsafeBufferPointer(start: pointer, count: count)
        mapped = false
    }

    /// Wraps a copy of `data`, for tests and small inputs.
    public convenience init(_ data: [UInt8]) {
        let p = malloc(max(data.count, 1))!.assumingMemoryBound(to: UInt8.self)
        data.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: data.count) }
        self.init(owning: p, count: data.count)
    }

    public convenience init(_ text: String) { self.init(Array(text.utf8)) }

    /// Maps a file read-only.
    public init(mapping path: String) throws(IntakeError) {
        let (fd, size) = try ByteBuffer.openRegularFile(path)
        defer { close(fd) }
        if size == 0 {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw IntakeError(.unreadable, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
    }

    /// Reads a whole file into memory (a private copy: later changes to the file do not show).
    public init(reading path: String) throws(IntakeError) {
        let (fd, fileSize) = try ByteBuffer.openRegularFile(path)
        defer { close(fd) }
        var capacity = max(fileSize, 1)
        var storage = malloc(capacity)!.assumingMemoryBound(to: UInt8.self)
        var size = 0
        while true {
            if size == capacity {
                capacity *= 2
                storage = realloc(storage, capacity)!.assumingMemoryBound(to: UInt8.self)
            }
            let n = read(fd, storage + size, capacity - size)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                free(storage)
                throw IntakeError(.unreadable, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            size += n
        }
        bytes = UnsafeBufferPointer(start: storage, count: size)
        mapped = false
    }

    /// Opens a regular file for reading; returns the descriptor (the caller closes it) and size.
    private static func openRegularFile(_ path: String) throws(IntakeError) -> (Int32, Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw IntakeError(.unreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw IntakeError(.unreadable, "\(path) is not a regular file")
        }
        return (fd, Int(st.st_size))
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            free(UnsafeMutableRawPointer(mutating: base))
        }
    }

    public var count: Int { bytes.count }

    /// Whether the bytes are a mapping of a file (so pages may be dropped and read again).
    var isMapped: Bool { mapped }
}
