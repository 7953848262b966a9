import CArchive

/// The one rule for the entries of an archive, whatever Podium does with it: unpacking a
/// bundle (`SafeExtractor`, `podium unpack`) and reading a predictions CSV from an archive
/// (`SubmissionFile`) admit exactly the same entries.
///
/// Refused with `bad_archive` and the entry's name: absolute paths, `..`, symbolic and hard
/// links, devices, FIFOs, sockets, repeated names, names with control characters or invalid
/// UTF-8. Refused with `archive_limits`: too many entries, too deep or too long a path, and zip
/// entries that share their data. (An archive with no CSV is the predictions path's own
/// verdict, `not_a_submission`.)
struct ArchiveEntries {
    let limits: ExtractionLimits
    private var seen = Set<String>()
    private var headerPositions = Set<Int64>()
    private var count = 0

    init(limits: ExtractionLimits) { self.limits = limits }

    /// An admitted entry: its name, its path components below the root, and what it is.
    struct Entry {
        enum Kind { case file, directory, root }
        var name: Name
        var components: [String]
        var kind: Kind
        var joined: String { components.joined(separator: "/") }
    }

    struct Name {
        var raw: [UInt8]
        var text: String
        var display: String { IntakeError.quote(text) }
    }

    /// Admits the header just read from `a`, or throws the verdict on the whole archive.
    mutating func admit(_ a: OpaquePointer, _ entry: OpaquePointer) throws(IntakeError) -> Entry {
        count += 1
        if count > limits.archive.maxEntries {
            throw IntakeError(.archiveLimits, "the archive has more than \(limits.archive.maxEntries) entries")
        }
        let name = try Self.entryName(entry)
        // Zip entries whose local headers coincide share their data (overlapping-entry bombs).
        if archive_format(a) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP {
            let position = archive_read_header_position(a)
            guard headerPositions.insert(position).inserted else {
                throw IntakeError(.archiveLimits, "the zip entry '\(name.display)' shares its data with another entry")
            }
        }
        let type = UInt32(archive_entry_filetype(entry))
        // `./` (tar's entry for the root itself) creates nothing.
        if type == podium_ae_ifdir && name.text.split(separator: "/").allSatisfy({ $0 == "." }) {
            return Entry(name: name, components: [], kind: .root)
        }
        let components = try validate(name)
        if archive_entry_hardlink(entry) != nil {
            throw IntakeError(
                .badArchive,
                "the entry '\(name.display)' is a hard link; only regular files and directories are accepted")
        }
        guard seen.insert(components.joined(separator: "/")).inserted else {
            throw IntakeError(.badArchive, "the entry '\(name.display)' appears twice")
        }
        if type == podium_ae_ifdir { return Entry(name: name, components: components, kind: .directory) }
        guard type == podium_ae_ifreg else {
            let kind =
                type == 0o120000
                ? "a symbolic link"
                : type == 0o010000 ? "a FIFO" : type == 0o140000 ? "a socket" : "a device or special file"
            throw IntakeError(
                .badArchive, "the entry '\(name.display)' is \(kind); only regular files and directories are accepted")
        }
        return Entry(name: name, components: components, kind: .file)
    }

    /// The entry's path as bytes, refused when it is not valid UTF-8 or holds control characters.
    static func entryName(_ entry: OpaquePointer) throws(IntakeError) -> Name {
        guard let c = archive_entry_pathname(entry) else { throw IntakeError(.badArchive, "an entry has no name") }
        let raw = Array(
            UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c)))
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw IntakeError(
                .badArchive,
                "the entry '\(IntakeError.quote(String(decoding: raw, as: UTF8.self)))' has a name that is not valid "
                    + "UTF-8"
            )
        }
        if raw.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw IntakeError(.badArchive, "the entry '\(IntakeError.quote(text))' has control characters in its name")
        }
        return Name(raw: raw, text: text)
    }

    /// The path's components: no absolute path, no `..`, `.` dropped, within the limits.
    func validate(_ name: Name) throws(IntakeError) -> [String] {
        if name.raw.count > limits.maxPathBytes {
            throw IntakeError(
                .archiveLimits, "the entry '\(name.display)' has a path longer than \(limits.maxPathBytes) bytes")
        }
        if name.text.hasPrefix("/") {
            throw IntakeError(.badArchive, "the entry '\(name.display)' has an absolute path")
        }
        var components: [String] = []
        for part in name.text.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                throw IntakeError(.badArchive, "the entry '\(name.display)' climbs out of the archive with '..'")
            }
            components.append(String(part))
        }
        guard !components.isEmpty else {
            throw IntakeError(.badArchive, "the entry '\(name.display)' has an empty name")
        }
        if components.count > limits.maxDepth {
            throw IntakeError(
                .archiveLimits, "the entry '\(name.display)' is nested more than \(limits.maxDepth) folders deep")
        }
        return components
    }
}

#if canImport(Glibc)
import Glibc
#endif
