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
/// Refused with `bad_archive` and the entry's name: absolute paths, `..`, symbolic and hard
/// links, devices, FIFOs, sockets, repeated names, names with control characters or invalid
/// UTF-8. Refused with `archive_limits`: too many entries, too deep or too long a path, more
/// decompressed bytes than the cap (counted while decompressing, never from headers), and zip
/// entries that share their data. setuid, setgid and sticky bits are dropped. On any refusal the
/// directory is emptied: never a partial result.
public enum SafeExtractor {
    public static func extract(_ path: String, into directory: String, limits: ExtractionLimits = ExtractionLimits()) throws(IntakeError) -> Extraction {
        let root = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else {
            throw IntakeError(.unreadable, "cannot open the extraction directory \(directory): \(String(cString: strerror(errno)))")
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
        guard let a = ArchiveReader.reader(raw: false) else { throw IntakeError(.badArchive, "cannot start libarchive") }
        defer { archive_read_free(a) }
        guard archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK else {
            throw IntakeError(.badArchive, "not a readable archive (tar, zip, or a compressed tar): \(ArchiveReader.errorText(a))")
        }
        var out = Extraction()
        var seen = Set<String>()
        var headerPositions = Set<Int64>()
        var entry: OpaquePointer? = nil
        var count = 0
        while true {
            let status = archive_read_next_header(a, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw IntakeError(.badArchive, "the archive is damaged: \(ArchiveReader.errorText(a))")
            }
            count += 1
            if count > limits.archive.maxEntries {
                throw IntakeError(.archiveLimits, "the archive has more than \(limits.archive.maxEntries) entries")
            }
            let name = try entryName(entry)
            // Zip entries whose local headers coincide share their data (overlapping-entry bombs).
            if archive_format(a) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP {
                let position = archive_read_header_position(a)
                guard headerPositions.insert(position).inserted else {
                    throw IntakeError(.archiveLimits, "the zip entry '\(name.display)' shares its data with another entry")
                }
            }
            let type = UInt32(archive_entry_filetype(entry))
            // `./` (tar's entry for the root itself) creates nothing.
            if type == podium_ae_ifdir && name.text.split(separator: "/").allSatisfy({ $0 == "." }) { continue }
            let components = try validate(name, limits: limits)
            if archive_entry_hardlink(entry) != nil {
                throw IntakeError(.badArchive, "the entry '\(name.display)' is a hard link; only regular files and directories are accepted")
            }
            let joined = components.joined(separator: "/")
            guard seen.insert(joined).inserted else {
                throw IntakeError(.badArchive, "the entry '\(name.display)' appears twice")
            }
            if type == podium_ae_ifdir {
                let fd = try directory(root, components, name: name.display)
                close(fd)
                out.directories.append(joined)
                continue
            }
            guard type == podium_ae_ifreg else {
                let kind = type == 0o120000 ? "a symbolic link" : type == 0o010000 ? "a FIFO" : type == 0o140000 ? "a socket" : "a device or special file"
                throw IntakeError(.badArchive, "the entry '\(name.display)' is \(kind); only regular files and directories are accepted")
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
            try copyData(a, to: fd, total: &out.bytes, limits: limits, name: name.display)
            out.files.append(joined)
        }
        return out
    }

    struct Name {
        var raw: [UInt8]
        var text: String
        var display: String { String(text.prefix(200)) }
    }

    /// The entry's path as bytes, refused when it is not valid UTF-8 or holds control characters.
    static func entryName(_ entry: OpaquePointer) throws(IntakeError) -> Name {
        guard let c = archive_entry_pathname(entry) else { throw IntakeError(.badArchive, "an entry has no name") }
        let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c)))
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw IntakeError(.badArchive, "the entry '\(String(decoding: raw, as: UTF8.self).prefix(200))' has a name that is not valid UTF-8")
        }
        if raw.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw IntakeError(.badArchive, "the entry '\(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined().prefix(200))' has control characters in its name")
        }
        return Name(raw: raw, text: text)
    }

    /// The path's components: no absolute path, no `..`, `.` dropped, within the limits.
    static func validate(_ name: Name, limits: ExtractionLimits) throws(IntakeError) -> [String] {
        if name.raw.count > limits.maxPathBytes {
            throw IntakeError(.archiveLimits, "the entry '\(name.display)…' has a path longer than \(limits.maxPathBytes) bytes")
        }
        if name.text.hasPrefix("/") {
            throw IntakeError(.badArchive, "the entry '\(name.display)' has an absolute path")
        }
        var components: [String] = []
        for part in name.text.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw IntakeError(.badArchive, "the entry '\(name.display)' climbs out of the archive with '..'") }
            components.append(String(part))
        }
        guard !components.isEmpty else { throw IntakeError(.badArchive, "the entry '\(name.display)' has an empty name") }
        if components.count > limits.maxDepth {
            throw IntakeError(.archiveLimits, "the entry '\(name.display)' is nested more than \(limits.maxDepth) folders deep")
        }
        return components
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

    static func copyData(_ a: OpaquePointer, to fd: Int32, total: inout Int, limits: ExtractionLimits, name: String) throws(IntakeError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n == 0 { return }
            guard n > 0 else { throw IntakeError(.badArchive, "cannot read '\(name)': \(ArchiveReader.errorText(a))") }
            total += n
            if total > limits.archive.maxBytes {
                throw IntakeError(.archiveLimits, "the archive expands to more than \(limits.archive.maxBytes) bytes")
            }
            var done = 0
            while done < n {
                let w = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + done, n - done) }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else { throw IntakeError(.archiveLimits, "cannot write '\(name)': \(String(cString: strerror(errno)))") }
                done += w
            }
        }
    }

    /// Removes everything below a directory descriptor (never following links).
    static func emptyDirectory(_ fd: Int32) {
        guard let dir = fdopendir(dup(fd)) else { return }
        defer { closedir(dir) }
        var names: [(String, Bool)] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
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
