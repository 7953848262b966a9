import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// Limits on what an archive may expand to, counted while decompressing.
public struct ArchiveLimits: Sendable {
    /// Decompressed bytes over all entries.
    public var maxBytes: Int
    public var maxEntries: Int

    public init(maxBytes: Int = 2 << 30, maxEntries: Int = 10_000) {
        self.maxBytes = maxBytes
        self.maxEntries = maxEntries
    }

    /// The defaults, or `PODIUM_MAX_UNPACKED_BYTES` when set.
    public static var standard: ArchiveLimits {
        var limits = ArchiveLimits()
        if let text = getenv("PODIUM_MAX_UNPACKED_BYTES"), let v = Int(String(cString: text)), v > 0 {
            limits.maxBytes = v
        }
        return limits
    }
}

/// Opens a submission file: a plain CSV is mapped; a compressed one (`.gz`, `.bz2`, `.xz`,
/// `.zst`, `.zip`, `.tar` and compressed tars) is streamed through libarchive into an unlinked
/// temporary file, which is then mapped like a plain CSV.
///
/// Memory stays bounded whatever the archive expands to: decompressing holds one 64 KiB chunk
/// at a time, more than `limits.maxBytes` decompressed bytes are refused as soon as they are
/// exceeded, and the mapped result's pages are file-backed (the readers drop them behind
/// themselves). Only a regular file is read (`not_a_submission` for a FIFO, a device, a
/// directory or a socket), and every entry passes `ArchiveEntries`, the rule `unpack` applies.
public enum SubmissionFile {
    public static func open(_ path: String, limits: ArchiveLimits = .standard) throws(IntakeError) -> InputBytes {
        let (fd, size) = try RegularFile.open(path, nonRegular: .notASubmission)
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: min(size, 512))
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n == head.count else {
            throw IntakeError(
                .unreadable, "cannot read '\(IntakeError.quote(path))': \(String(cString: strerror(errno)))")
        }
        guard head.withUnsafeBufferPointer(isArchive) else {
            return try InputBytes(mapping: fd, size: size, path: path)
        }
        return try ArchiveReader.singleCSV(fd: fd, limits: limits)
    }

    /// The CSV bytes of a submission already in memory (decompressed if it is an archive).
    public static func open(bytes: InputBytes, limits: ArchiveLimits = .standard) throws(IntakeError) -> InputBytes {
        guard isArchive(bytes.bytes) else { return bytes }
        return try ArchiveReader.singleCSV(memory: bytes, limits: limits)
    }

    /// Whether the file starts like an archive (a regular file only: `not_a_submission` otherwise).
    public static func isArchive(path: String) throws(IntakeError) -> Bool {
        try RegularFile.head(path, count: 512, nonRegular: .notASubmission).withUnsafeBufferPointer(isArchive)
    }

    /// Whether the file is a tar or zip archive (possibly compressed) with an entry `name` at
    /// its root (`./name` counts); reads headers only. Anything unreadable is `false`.
    public static func hasRootEntry(_ path: String, named name: String) -> Bool {
        guard let (fd, _) = try? RegularFile.open(path) else { return false }
        defer { close(fd) }
        guard let a = ArchiveReader.reader(raw: false) else { return false }
        defer { archive_read_free(a) }
        guard archive_read_open_fd(a, fd, 1 << 16) == ARCHIVE_OK else { return false }
        var entry: OpaquePointer? = nil
        var count = 0
        while archive_read_next_header(a, &entry) == ARCHIVE_OK, let entry, count < 100_000 {
            count += 1
            if let c = archive_entry_pathname(entry) {
                let entryName = String(cString: c)
                if entryName == name || entryName == "./" + name { return true }
            }
            archive_read_data_skip(a)
        }
        return false
    }

    /// Whether bytes start like a compressed stream, a zip or a tar (an empty tar — only the
    /// zero blocks that end one — included: it is an archive with no CSV, not a CSV).
    public static func isArchive(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool {
            b.count >= magic.count && zip(magic, b).allSatisfy { $0 == $1 }
        }
        if starts([0x1F, 0x8B]) || starts([0x28, 0xB5, 0x2F, 0xFD]) || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
            || starts([0x42, 0x5A, 0x68]) || starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06])
        {
            return true
        }
        // POSIX tar: "ustar" at offset 257.
        if b.count >= 262 && Array(b[257..<262]) == Array("ustar".utf8) { return true }
        // A tar's end: a whole block of zero bytes (no CSV starts with 512 NULs).
        if b.count >= 512 && b[0..<512].allSatisfy({ $0 == 0 }) { return true }
        return false
    }
}

/// The one place libarchive is driven for reading submissions.
enum ArchiveReader {
    /// A reader for an explicit list of filters (gzip, bzip2, xz, zstd) and formats (tar, zip,
    /// and with `raw` a single compressed stream): gzipped CSVs were misread as mtree under
    /// `support_format_all`, and fewer formats is a smaller attack surface.
    static func reader(raw: Bool) -> OpaquePointer? {
        guard let a = archive_read_new() else { return nil }
        archive_read_support_filter_gzip(a)
        archive_read_support_filter_bzip2(a)
        archive_read_support_filter_xz(a)
        archive_read_support_filter_zstd(a)
        archive_read_support_format_tar(a)
        archive_read_support_format_zip(a)
        if raw { archive_read_support_format_raw(a) }
        return a
    }

    /// The one CSV of an archive open as `fd`, or of archive bytes in memory (`memory`).
    static func singleCSV(fd: Int32 = -1, memory: InputBytes? = nil, limits: ArchiveLimits) throws(IntakeError)
        -> InputBytes
    {
        guard let a = reader(raw: true) else { throw IntakeError(.badArchive, "cannot start libarchive") }
        defer { archive_read_free(a) }
        let opened =
            memory.map { archive_read_open_memory(a, $0.bytes.baseAddress, $0.count) }
            ?? archive_read_open_fd(a, fd, 1 << 16)
        guard opened == ARCHIVE_OK else {
            throw IntakeError(.badArchive, "not a readable archive: \(errorText(a))")
        }
        var extraction = ExtractionLimits()
        extraction.archive = limits
        var entries = ArchiveEntries(limits: extraction)
        var total = 0
        var found: InputBytes? = nil
        var foundName = ""
        var entry: OpaquePointer? = nil
        while true {
            let status = archive_read_next_header(a, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw IntakeError(.badArchive, "the archive is damaged: \(errorText(a))")
            }
            let isCSV: Bool
            let name: String
            if archive_format(a) == ARCHIVE_FORMAT_RAW {
                // A single compressed stream: its one "entry" is the CSV, and has no real name.
                (isCSV, name) = (true, "the decompressed file")
            } else {
                let admitted = try entries.admit(a, entry)
                let base = admitted.components.last ?? ""
                isCSV =
                    admitted.kind == .file && base.lowercased().hasSuffix(".csv")
                    && admitted.components.first != "__MACOSX"
                    && !base.hasPrefix("._")
                name = admitted.name.display
            }
            if isCSV && found != nil {
                throw IntakeError(
                    .notASubmission,
                    "the archive holds more than one CSV file ('\(foundName)' and '\(name)'); submit exactly one")
            }
            guard isCSV else {
                try copyData(a, to: -1, total: &total, limits: limits, name: name)
                continue
            }
            let spill = try SpillFile()
            try copyData(a, to: spill.fd, total: &total, limits: limits, name: name)
            found = try spill.map()
            foundName = name
        }
        guard let found else {
            throw IntakeError(.notASubmission, "the archive holds no CSV file (a file whose name ends in .csv)")
        }
        return found
    }

    /// Copies the current entry's data to `fd` (or nowhere, with -1) a chunk at a time,
    /// counting every decompressed byte against the cap.
    static func copyData(_ a: OpaquePointer, to fd: Int32, total: inout Int, limits: ArchiveLimits, name: String)
        throws(IntakeError)
    {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n == 0 { return }
            guard n > 0 else {
                throw IntakeError(.badArchive, "cannot read '\(name)' from the archive: \(errorText(a))")
            }
            total += n
            if total > limits.maxBytes {
                throw IntakeError(.archiveLimits, "the archive expands to more than \(limits.maxBytes) bytes")
            }
            guard fd >= 0 else { continue }
            var done = 0
            while done < n {
                let w = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + done, n - done) }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else {
                    throw IntakeError(.archiveLimits, "cannot write '\(name)': \(String(cString: strerror(errno)))")
                }
                done += w
            }
        }
    }

    static func errorText(_ a: OpaquePointer) -> String {
        archive_error_string(a).map { IntakeError.quote(String(cString: $0)) } ?? "unknown error"
    }
}

/// An unlinked temporary file that a decompressed CSV is written to and then mapped from, so
/// that its bytes are file-backed pages (reclaimable) rather than process memory.
///
/// It lives in `TMPDIR` (default `/tmp`) and disappears when the mapping is released.
final class SpillFile {
    let fd: Int32

    init() throws(IntakeError) {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/podium-csv-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw IntakeError(
                .archiveLimits,
                "cannot create a temporary file in \(directory) to decompress into: \(String(cString: strerror(errno)))"
            )
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Maps what was written.
    func map() throws(IntakeError) -> InputBytes {
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0 else {
            throw IntakeError(.unreadable, "cannot size the decompressed file: \(String(cString: strerror(errno)))")
        }
        return try InputBytes(mapping: fd, size: Int(size), path: "the decompressed file")
    }
}
