import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// Limits on what an archive may unpack to, besides `ArchiveLimits`' bytes and entries.
public struct ExtractionLimits: Sendable {
    public var archive = ArchiveLimits.standard
    /// Path components of one entry.
    public var maxDepth = 32
    /// Bytes of one entry's path.
    public var maxPathBytes = 1024

    public init() {}
}

/// What was unpacked.
public struct Extraction: Sendable {
    /// Regular files, as relative paths, in archive order.
    public var files: [String] = []
    public var directories: [String] = []
    public var bytes = 0
}

/// Unpacks an archive into a fresh directory without trusting it: only regular files and
/// directories, created relative to directory descriptors with `O_NOFOLLOW` and `O_EXCL`, so
/// no entry can reach outside the directory or through a link.
///
/// Entries are admitted by `ArchiveEntries`, the rule the predictions path shares. Refused
/// with `archive_limits` besides: more decompressed bytes than the cap (counted while
/// decompressing, never from headers). setuid, setgid and sticky bits are dropped. On any
/// refusal the directory is emptied: never a partial result. The archive itself must be a
/// regular file (`not_a_submission` otherwise: a FIFO is never opened for a blocking read).
public enum SafeExtractor {
    public static func extract(_ path: String, into directory: String, limits: ExtractionLimits = ExtractionLimits())
        throws(IntakeError) -> Extraction
    {
        let root = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else {
            throw IntakeError(
                .unreadable, "cannot open the extraction directory \(directory): \(String(cString: strerror(errno)))")
        }
        defer { close(root) }
        do {
            return try unpack(path, root: root, limits: limits)
        } catch {
            emptyDirectory(root)
            throw error
        }
    }

    static func unpack(_ path: String, root: Int32, limits: ExtractionLimits) throws(IntakeError) -> Extraction {
        let (file, _) = try RegularFile.open(path, nonRegular: .notASubmission)
        defer { close(file) }
        guard let a = ArchiveReader.reader(raw: false) else {
            throw IntakeError(.badArchive, "cannot start libarchive")
        }
        defer { archive_read_free(a) }
        guard archive_read_open_fd(a, file, 1 << 16) == ARCHIVE_OK else {
            throw IntakeError(
                .badArchive, "not a readable archive (tar, zip, or a compressed tar): \(ArchiveReader.errorText(a))")
        }
        var out = Extraction()
        var entries = ArchiveEntries(limits: limits)
        var entry: OpaquePointer? = nil
        while true {
            let status = archive_read_next_header(a, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw IntakeError(.badArchive, "the archive is damaged: \(ArchiveReader.errorText(a))")
            }
            let admitted = try entries.admit(a, entry)
            let components = admitted.components
            let name = admitted.name
            switch admitted.kind {
            case .root:
                continue
            case .directory:
                let fd = try directory(root, components, name: name.display)
                close(fd)
                out.directories.append(admitted.joined)
                continue
            case .file:
                break
            }
            let parent = try directory(root, Array(components.dropLast()), name: name.display)
            defer { close(parent) }
            // Only the permission bits a student may set: setuid, setgid and sticky are dropped,
            // and nothing is made writable by others.
            let mode = mode_t(archive_entry_perm(entry)) & 0o755 | 0o600
            let fd = openat(parent, components.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard fd >= 0 else {
                throw IntakeError(.badArchive, "cannot create '\(name.display)': \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            try ArchiveReader.copyData(a, to: fd, total: &out.bytes, limits: limits.archive, name: name.display)
            out.files.append(admitted.joined)
        }
        return out
    }

    /// Opens (creating as needed) the folder at `components` below `root`, never following a link.
    static func directory(_ root: Int32, _ components: [String], name: String) throws(IntakeError) -> Int32 {
        var fd = dup(root)
        for part in components {
            if mkdirat(fd, part, 0o755) != 0 && errno != EEXIST {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw IntakeError(.badArchive, "cannot create the folder of '\(name)': \(reason)")
            }
            let next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(fd)
            guard next >= 0 else {
                throw IntakeError(.badArchive, "the entry '\(name)' goes through '\(part)', which is not a folder")
            }
            fd = next
        }
        return fd
    }

    /// Removes everything below a directory descriptor (never following links).
    static func emptyDirectory(_ fd: Int32) {
        guard let dir = fdopendir(dup(fd)) else { return }
        defer { closedir(dir) }
        var names: [(String, Bool)] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            names.append((name, e.pointee.d_type == UInt8(DT_DIR)))
        }
        for (name, isDirectory) in names {
            if isDirectory {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 {
                    emptyDirectory(child)
                    close(child)
                }
                unlinkat(fd, name, AT_REMOVEDIR)
            } else {
                unlinkat(fd, name, 0)
            }
        }
    }
}
