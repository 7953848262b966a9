#if canImport(Glibc)
import Glibc
#endif

/// Read-only bytes of a whole file: mapped from disk, or decompressed into memory.
///
/// Immutable after creation, so it may be shared across threads.
public final class InputBytes: @unchecked Sendable {
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

    /// Maps a file read-only (a regular file only: anything else is refused with `nonRegular`).
    public convenience init(mapping path: String, nonRegular: IntakeError.Code = .unreadable) throws(IntakeError) {
        let (fd, size) = try RegularFile.open(path, nonRegular: nonRegular)
        defer { close(fd) }
        try self.init(mapping: fd, size: size, path: path)
    }

    /// Maps `size` bytes of an open regular file read-only (the caller still closes `fd`).
    init(mapping fd: Int32, size: Int, path: String) throws(IntakeError) {
        if size == 0 {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw IntakeError(
                .unreadable, "cannot map '\(IntakeError.quote(path))': \(String(cString: strerror(errno)))")
        }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
    }

    /// Reads a whole file into memory (a private copy: later changes to the file do not show).
    public init(reading path: String, nonRegular: IntakeError.Code = .unreadable) throws(IntakeError) {
        let (fd, fileSize) = try RegularFile.open(path, nonRegular: nonRegular)
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
                throw IntakeError(
                    .unreadable, "cannot read '\(IntakeError.quote(path))': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            size += n
        }
        bytes = UnsafeBufferPointer(start: storage, count: size)
        mapped = false
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
