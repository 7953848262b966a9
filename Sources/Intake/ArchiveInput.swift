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
/// `.zst`, `.zip`, `.tar` and compressed tars) is streamed through libarchive into memory,
/// refusing more than `limits.maxBytes` decompressed bytes as soon as they are exceeded.
public enum SubmissionFile {
    public static func open(_ path: String, limits: ArchiveLimits = .standard) throws(IntakeError) -> ByteBuffer {
        let plain = try ByteBuffer(mapping: path)
        guard isArchive(plain.bytes) else { return plain }
        return try ArchiveReader.singleCSV(path, limits: limits)
    }

    /// The CSV bytes of a submission already in memory (decompressed if it is an archive).
    public static func open(bytes: ByteBuffer, limits: ArchiveLimits = .standard) throws(IntakeError) -> ByteBuffer {
        guard isArchive(bytes.bytes) else { return bytes }
        return try ArchiveReader.singleCSV("(memory)", memory: bytes, limits: limits)
    }

    /// Whether the file is a tar or zip archive (possibly compressed) with an entry `name` at
    /// its root (`./name` counts); reads headers only. Anything unreadable is `false`.
    public static func hasRootEntry(_ path: String, named name: String) -> Bool {
        guard let a = ArchiveReader.reader(raw: false) else { return false }
        defer { archive_read_free(a) }
        guard archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK else { return false }
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

    /// Whether bytes start like a compressed stream, a zip or a tar.
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

    /// The one CSV of an archive file (`path`) or of archive bytes in memory (`memory`).
    static func singleCSV(_ path: String, memory: ByteBuffer? = nil, limits: ArchiveLimits) throws(IntakeError) -> ByteBuffer {
        guard let a = reader(raw: true) else { throw IntakeError(.badArchive, "cannot start libarchive") }
        defer { archive_read_free(a) }
        let opened =
            memory.map { archive_read_open_memory(a, $0.bytes.baseAddress, $0.count) } ?? archive_read_open_filename(a, path, 1 << 16)
        guard opened == ARCHIVE_OK else {
            throw IntakeError(.badArchive, "not a readable archive: \(errorText(a))")
        }
        var entries = 0
        var total = 0
        var found: ByteBuffer? = nil
        var foundName = ""
        var entry: OpaquePointer? = nil
        while true {
            let status = archive_read_next_header(a, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw IntakeError(.badArchive, "the archive is damaged: \(errorText(a))")
            }
            entries += 1
            if entries > limits.maxEntries {
                throw IntakeError(.archiveLimits, "the archive has more than \(limits.maxEntries) entries")
            }
            let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let isRaw = archive_format(a) == ARCHIVE_FORMAT_RAW
            let regular = UInt32(archive_entry_filetype(entry)) == podium_ae_ifreg
            let base = name.split(separator: "/").last.map(String.init) ?? name
            let isCSV = isRaw || (regular && name.lowercased().hasSuffix(".csv") && !name.hasPrefix("__MACOSX/") && !base.hasPrefix("._"))
            if isCSV && found != nil {
                throw IntakeError(.notASubmission, "the archive holds more than one CSV file ('\(foundName)' and '\(name)'); submit exactly one")
            }
            let data = try readData(a, total: &total, keep: isCSV, limits: limits, name: name)
            if isCSV {
                found = data
                foundName = name
            }
        }
        guard let found else {
            throw IntakeError(.notASubmission, "the archive holds no CSV file (a file whose name ends in .csv)")
        }
        return found
    }

    /// Reads the current entry's data, counting every decompressed byte against the cap.
    static func readData(_ a: OpaquePointer, total: inout Int, keep: Bool, limits: ArchiveLimits, name: String) throws(IntakeError) -> ByteBuffer? {
        var capacity = keep ? 1 << 20 : 0
        var storage: UnsafeMutablePointer<UInt8>? = keep ? malloc(capacity)?.assumingMemoryBound(to: UInt8.self) : nil
        var size = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var ok = false
        defer { if !ok { free(storage) } }
        while true {
            let n = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else {
                throw IntakeError(.badArchive, "cannot read '\(name)' from the archive: \(errorText(a))")
            }
            total += n
            if total > limits.maxBytes {
                throw IntakeError(.archiveLimits, "the archive expands to more than \(limits.maxBytes) bytes")
            }
            guard keep else { continue }
            if size + n > capacity {
                while size + n > capacity { capacity *= 2 }
                guard let grown = realloc(storage, capacity) else {
                    throw IntakeError(.archiveLimits, "out of memory while unpacking '\(name)'")
                }
                storage = grown.assumingMemoryBound(to: UInt8.self)
            }
            chunk.withUnsafeBytes { (storage! + size).update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) }
            size += n
        }
        ok = true
        return keep ? ByteBuffer(owning: storage, count: size) : nil
    }

    static func errorText(_ a: OpaquePointer) -> String {
        archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
    }
}
