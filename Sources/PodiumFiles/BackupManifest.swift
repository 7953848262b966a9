import Foundation
import PodiumDomain
import PodiumSystem

#if canImport(Glibc)
import Glibc
#endif

/// `manifest.json`, written last into a backup folder: what it was taken from and when, the
/// course's counts, and every other file of the folder with its size and SHA-256. A restore
/// trusts nothing the manifest does not list and vouch for.
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The only format this release writes and reads.
    public static let currentFormat = 1
    public static let fileName = "manifest.json"

    /// What was backed up: a home folder (SQLite files and the stored files beside them) or a
    /// PostgreSQL store (one `pg_dump`).
    public enum Source: String, Codable, Sendable {
        case home, postgres
    }

    /// One file, by its path relative to the backup folder.
    public struct Entry: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public var sha256: String

        public init(path: String, bytes: Int, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var challenges = 0
        public var submissions = 0
        public var scores = 0
        public var accounts = 0

        public init() {}
    }

    public var format: Int
    public var podiumVersion: String
    public var createdAt: String
    public var source: Source
    public var counts: Counts
    public var files: [Entry]

    enum CodingKeys: String, CodingKey {
        case format, source, counts, files
        case podiumVersion = "podium_version"
        case createdAt = "created_at"
    }

    public init(podiumVersion: String, createdAt: String, source: Source, counts: Counts, files: [Entry]) {
        format = Self.currentFormat
        self.podiumVersion = podiumVersion
        self.createdAt = createdAt
        self.source = source
        self.counts = counts
        self.files = files.sorted { $0.path < $1.path }
    }

    /// Writes `manifest.json` into `folder` and fsyncs it and the folder.
    public func write(into folder: String) throws(JudgeError) {
        let encoder = PodiumJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let path = "\(folder)/\(Self.fileName)"
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        } catch {
            throw JudgeError(code: .storeFailed, message: "cannot write \(path): \(error.localizedDescription)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw JudgeError.writing("cannot fsync \(path)")
        }
        close(fd)
        syncDirectory(folder)
    }

    /// Reads the manifest of the backup `folder`: `backup_corrupt` when there is none, it is
    /// not JSON of this shape, its format is not one this release knows, or a path in it could
    /// leave the folder.
    public static func read(from folder: String) throws(JudgeError) -> BackupManifest {
        let path = "\(folder)/\(fileName)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw corrupt(
                "\(folder) is not a backup: it has no readable \(fileName) (a backup interrupted before "
                    + "its end has none)")
        }
        struct Format: Decodable { var format: Int }
        guard let format = try? JSONDecoder().decode(Format.self, from: data).format else {
            throw corrupt("\(path) is not a backup manifest (not JSON, or no \"format\")")
        }
        guard format == currentFormat else {
            throw corrupt("\(path) has format \(format); this Podium reads format \(currentFormat) only")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw corrupt("\(path) does not read as a manifest: \(error)")
        }
        for entry in manifest.files where !isInside(entry.path) {
            throw corrupt("\(path) lists \(entry.path), which is not a path inside the backup")
        }
        return manifest
    }

    /// A relative path of plain names: nothing absolute, no `.` or `..`, no empty part.
    static func isInside(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." } && path != fileName
    }

    public static func corrupt(_ message: String) -> JudgeError { JudgeError(code: .backupCorrupt, message: message) }
}
