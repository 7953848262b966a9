import Foundation
import PodiumDomain
import PodiumFiles
import PodiumPostgres

/// A backup of a PostgreSQL store: one `pg_dump` of one snapshot into `store.dump`, and its
/// manifest (the dump's size and SHA-256, the counts read in the same snapshot), written into
/// `DEST.partial-…` and renamed to DEST when complete.
struct StoreBackup {
    let url: String
    let destination: String
    let podiumVersion: String
    let createdAt: String

    static let dumpName = "store.dump"

    func run() throws(JudgeError) -> BackupManifest {
        let dump = try StoreDump(url: url)
        return try BackupFolder.build(destination) { (staging: String) throws(JudgeError) -> BackupManifest in
            let counts = try dump.dump(to: "\(staging)/\(Self.dumpName)")
            let entry = try BackupFiles.entry("\(staging)/\(Self.dumpName)", as: Self.dumpName)
            var total = BackupManifest.Counts()
            total.challenges = counts.challenges
            total.submissions = counts.submissions
            total.scores = counts.scores
            total.accounts = counts.accounts
            let manifest = BackupManifest(
                podiumVersion: podiumVersion, createdAt: createdAt, source: .postgres, counts: total, files: [entry])
            try manifest.write(into: staging)
            return manifest
        }
    }
}

/// A store's backup restored into an empty PostgreSQL database: the folder verified against
/// its manifest first (the dump's SHA-256, no other file), then `pg_restore`, then every blob
/// hashed and the submissions left running queued again.
struct StoreRestore {
    let backup: String
    let url: String

    func run() throws(JudgeError) -> Restored {
        let manifest = try BackupCheck.manifest(of: backup, restoringInto: .postgres)
        guard manifest.files.map(\.path) == [StoreBackup.dumpName] else {
            throw BackupManifest.corrupt("\(backup) is a store's backup without exactly one \(StoreBackup.dumpName)")
        }
        let scratch = NSTemporaryDirectory() + "podium-restore-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (counts, requeued) = try StoreDump(url: url).restore(
            from: "\(backup)/\(StoreBackup.dumpName)", scratch: scratch, hasher: HomeFolder(root: scratch))
        let restored = [counts.challenges, counts.submissions, counts.scores, counts.accounts]
        let listed = [
            manifest.counts.challenges, manifest.counts.submissions, manifest.counts.scores, manifest.counts.accounts,
        ]
        guard restored == listed else {
            throw BackupManifest.corrupt(
                "\(Root.redacted(url)) holds \(restored) (challenges, submissions, scores, accounts) after "
                    + "pg_restore; the manifest says \(listed): drop that database")
        }
        return Restored(manifest: manifest, requeued: requeued)
    }
}
