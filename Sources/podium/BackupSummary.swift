import Foundation
import PodiumFiles

/// What `podium backup` and `podium restore` print: the counts of the course, the files and
/// bytes, the time taken, and (restore) how many submissions were queued again.
struct BackupSummary: Encodable {
    var backup: String
    var source: String
    var createdAt: String
    var counts: BackupManifest.Counts
    var files: Int
    var bytes: Int
    var seconds: Double
    var requeued: Int?

    enum CodingKeys: String, CodingKey {
        case backup, source, counts, files, bytes, seconds, requeued
        case createdAt = "created_at"
    }

    init(_ manifest: BackupManifest, backup: String, since start: Date, requeued: Int? = nil) {
        self.backup = backup
        source = manifest.source.rawValue
        createdAt = manifest.createdAt
        counts = manifest.counts
        files = manifest.files.count
        bytes = manifest.files.reduce(0) { $0 + $1.bytes }
        seconds = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
        self.requeued = requeued
    }

    /// "2 challenges, 14 submissions, 12 scores, 3 accounts; 37 files, 1.2 MB in 0.4 s".
    var text: String {
        "\(counts.challenges) challenges, \(counts.submissions) submissions, \(counts.scores) scores, "
            + "\(counts.accounts) accounts; \(files) files, \(Self.size(bytes)) in \(String(format: "%.1f", seconds)) s"
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1 << 20 { return String(format: "%.1f KB", Double(bytes) / 1000) }
        if bytes < 1 << 30 { return String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        return String(format: "%.2f GB", Double(bytes) / 1_000_000_000)
    }
}

/// What a restore brought back: the backup's manifest, and how many submissions left running
/// by the old server it queued again.
struct Restored {
    var manifest: BackupManifest
    var requeued = 0
}
