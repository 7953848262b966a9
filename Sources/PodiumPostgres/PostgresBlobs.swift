import Foundation
import NIOCore
import PodiumApp
import PodiumDomain
import PodiumSystem
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// Stored files and version snapshots shared by every machine of a course (DESIGN §8): each
/// file is a blob in PostgreSQL named by its SHA-256 (`blob`, and `blob_chunk` rows of at most
/// 1 MiB, so neither side ever holds a whole file in memory), cached on this machine by
/// `cache` (its home folder). A blob enters the cache only when its bytes hash to its name.
public struct PostgresBlobs: BlobStore {
    public let pool: Pool
    /// This machine's copy: stores and hashes files, and holds the version snapshots it read.
    public let cache: any BlobStore

    /// The largest chunk of a blob.
    public static let chunkSize = 1 << 20

    public init(pool: Pool, cache: any BlobStore) {
        self.pool = pool
        self.cache = cache
    }

    public func store(_ bytes: UnsafeRawBufferPointer, challenge: String) throws(JudgeError) -> String {
        let sha256 = try cache.store(bytes, challenge: challenge)
        try upload(sha256, from: cache.path(of: sha256, challenge: challenge))
        return sha256
    }

    public func store(file path: String, challenge: String) throws(JudgeError) -> String {
        let sha256 = try cache.store(file: path, challenge: challenge)
        try upload(sha256, from: cache.path(of: sha256, challenge: challenge))
        return sha256
    }

    /// The cached copy, fetched first when the cache has no good one (a failed fetch leaves
    /// the path missing or bad, and reading it fails with a clear error).
    public func path(of sha256: String, challenge: String) -> String {
        if cache.verify(sha256, challenge: challenge) != true { _ = try? fetch(sha256, challenge: challenge) }
        return cache.path(of: sha256, challenge: challenge)
    }

    /// True when the cached copy or a fresh download hashes to its name; `nil` when neither
    /// the cache nor the store has it; false when the bytes do not match (or, the store
    /// being unreachable, what the cache says).
    public func verify(_ sha256: String, challenge: String) -> Bool? {
        let cached = cache.verify(sha256, challenge: challenge)
        if cached == true { return true }
        return (try? fetch(sha256, challenge: challenge)) ?? cached
    }

    public func hash(file path: String) throws(JudgeError) -> String { try cache.hash(file: path) }

    public func hash(bytes: UnsafeRawBufferPointer) -> String { cache.hash(bytes: bytes) }

    /// Stores each file as a blob, then snapshots the folder locally. The files are listed in
    /// `version_file` by `recordSnapshot`, in the transaction that adds the version row.
    public func snapshot(_ folder: String, files: [String], challenge: String, version: Int) throws(JudgeError) {
        for name in files { _ = try store(file: "\(folder)/\(name)", challenge: challenge) }
        try cache.snapshot(folder, files: files, challenge: challenge, version: version)
    }

    /// Lists a version's files in `version_file` on `c`, inside the caller's transaction (the
    /// records adapter's `addVersion`, after it inserted the version row): every regular file
    /// of `folder` (this machine's snapshot, an absolute path), hashed again here, its blob
    /// uploaded on `c` should it be missing.
    public func recordSnapshot(_ c: Connection, challenge: String, version: Int, folder: String) throws(JudgeError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw JudgeError.store("store_failed", "cannot list the snapshot \(folder): \(error.localizedDescription)")
        }
        for name in names {
            let path = "\(folder)/\(name)"
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &directory), !directory.boolValue else {
                continue
            }
            let sha256 = try cache.hash(file: path)
            try Self.upload(c, sha256, from: path)
            try c.execute(
                """
                INSERT INTO version_file (challenge, version, name, sha256)
                VALUES (\(challenge), \(version), \(name), \(sha256))
                """)
        }
    }

    /// The cached snapshot of a version, fetched first when this machine has none: its files
    /// are downloaded into a staging folder, checked against their names and snapshotted
    /// atomically, one fetch of a version at a time on this machine. On failure the path is
    /// returned anyway, and reading it fails with a clear error.
    public func versionFolder(_ challenge: String, _ version: Int) -> String {
        let target = cache.versionFolder(challenge, version)
        if !FileManager.default.fileExists(atPath: target) { try? fetchVersion(challenge, version, into: target) }
        return target
    }

    // MARK: - Uploading

    /// Uploads a cached file unless the store has its blob already.
    func upload(_ sha256: String, from file: String) throws(JudgeError) {
        try pool.transaction { (c: Connection) throws(JudgeError) in try Self.upload(c, sha256, from: file) }
    }

    /// Inserts the blob row and, only when this call inserted it, the chunks of `file` (whose
    /// SHA-256 is `sha256`), on `c`: two machines storing the same file at once both succeed,
    /// the second waiting for the first's row and then writing nothing.
    static func upload(_ c: Connection, _ sha256: String, from file: String) throws(JudgeError) {
        guard try c.rows("SELECT 1 FROM blob WHERE sha256 = \(sha256)").isEmpty else { return }
        let input = try ChunkedFile(reading: file)
        defer { input.release() }
        let size = input.size
        let chunks = (size + chunkSize - 1) / chunkSize
        let storedAt = Instants.timestamp(Date())
        let inserted = try c.execute(
            """
            INSERT INTO blob (sha256, size, chunks, stored_at) VALUES (\(sha256), \(size), \(chunks), \(storedAt))
            ON CONFLICT (sha256) DO NOTHING
            """)
        guard inserted == 1 else { return }
        var seq = 0
        var total = 0
        while let data = try input.next(chunkSize) {
            try c.execute("INSERT INTO blob_chunk (sha256, seq, data) VALUES (\(sha256), \(seq), \(data))")
            seq += 1
            total += data.readableBytes
        }
        guard seq == chunks, total == size else {
            throw JudgeError.store("store_failed", "\(file) changed while it was uploaded (\(total) of \(size) bytes)")
        }
    }

    // MARK: - Downloading

    /// Downloads a blob into the cache: `nil` when the store has no such blob, false when its
    /// bytes do not hash to its name (then nothing enters the cache).
    func fetch(_ sha256: String, challenge: String) throws(JudgeError) -> Bool? {
        let folder = (cache.path(of: sha256, challenge: challenge) as NSString).deletingLastPathComponent
        try makeDirectory(folder)
        let temporary = "\(folder)/.download-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(temporary) }
        guard let complete = try download(sha256, to: temporary) else { return nil }
        guard complete, try cache.hash(file: temporary) == sha256 else { return false }
        return try cache.store(file: temporary, challenge: challenge) == sha256
    }

    /// Writes a blob's chunks, one at a time, into a new file at `path`: `nil` when the store has
    /// no such blob, false when its chunks disagree with its row (missing, or another size).
    func download(_ sha256: String, to path: String) throws(JudgeError) -> Bool? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool? in
            guard let row = try c.rows("SELECT size, chunks FROM blob WHERE sha256 = \(sha256)").first else {
                return nil
            }
            let (size, chunks) = try row.values((Int, Int).self)
            let output = try ChunkedFile(creating: path)
            defer { output.release() }
            var total = 0
            for seq in 0..<chunks {
                guard
                    let row = try c.rows("SELECT data FROM blob_chunk WHERE sha256 = \(sha256) AND seq = \(seq)").first
                else { return false }
                let data = try row.value(ByteBuffer.self)
                total += data.readableBytes
                guard total <= size else { return false }
                try output.append(data)
            }
            return total == size
        }
    }

    /// Fetches a version's files into a staging folder beside `target` and snapshots them there.
    func fetchVersion(_ challenge: String, _ version: Int, into target: String) throws(JudgeError) {
        let parent = (target as NSString).deletingLastPathComponent
        try makeDirectory(parent)
        guard let lock = try FileLock.acquire("\(parent)/.fetch-\(version).lock", timeout: 600) else { return }
        defer { lock.release() }
        // Another process of this machine fetched it while this one waited.
        if FileManager.default.fileExists(atPath: target) { return }
        let files = try pool.withConnection { (c: Connection) throws(JudgeError) -> [(String, String)] in
            var files: [(String, String)] = []
            for row in try c.rows(
                """
                SELECT name, sha256 FROM version_file WHERE challenge = \(challenge) AND version = \(version)
                ORDER BY name COLLATE "C"
                """)
            {
                files.append(try row.values((String, String).self))
            }
            return files
        }
        guard !files.isEmpty else { return }
        let staging = "\(parent)/.fetch-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try makeDirectory(staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        for (name, sha256) in files {
            let place = "\(name) of \(challenge) version \(version) in \(pool.url.redacted)"
            guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
                throw JudgeError.store("store_failed", "the file name \(place) is not a plain name")
            }
            let path = "\(staging)/\(name)"
            guard try download(sha256, to: path) == true, try cache.hash(file: path) == sha256 else {
                throw JudgeError.store("store_failed", "the file \(place) is missing or does not hash to its name")
            }
        }
        try cache.snapshot(staging, files: files.map(\.0), challenge: challenge, version: version)
    }
}

/// A file read or written a chunk at a time (POSIX calls, retried on `EINTR`).
final class ChunkedFile {
    let path: String
    private var fd: Int32
    /// The size when opened for reading.
    let size: Int

    /// Opens an existing regular file for reading.
    init(reading path: String) throws(JudgeError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JudgeError.store("missing_file", "cannot open \(path): \(errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw JudgeError.store("unreadable_file", "\(path) is not a regular file")
        }
        size = Int(st.st_size)
    }

    /// Creates a new file for writing (never an existing one).
    init(creating path: String) throws(JudgeError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JudgeError.writing("cannot create \(path)") }
        size = 0
    }

    /// Up to `count` bytes (fewer only at the end), or `nil` at the end.
    func next(_ count: Int) throws(JudgeError) -> ByteBuffer? {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32 = 0
        while buffer.readableBytes < count {
            let wanted = count - buffer.readableBytes
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { bytes in
                let n = read(fd, bytes.baseAddress, wanted)
                if n < 0 { failure = errno }
                return max(n, 0)
            }
            if failure == EINTR {
                failure = 0
                continue
            }
            guard failure == 0 else {
                throw JudgeError.store("unreadable_file", "cannot read \(path): \(String(cString: strerror(failure)))")
            }
            if n == 0 { break }
        }
        return buffer.readableBytes == 0 ? nil : buffer
    }

    func append(_ data: ByteBuffer) throws(JudgeError) {
        var failure: JudgeError? = nil
        data.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = JudgeError.writing("cannot write \(path)")
                    return
                }
                done += n
            }
        }
        if let failure { throw failure }
    }

    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}
