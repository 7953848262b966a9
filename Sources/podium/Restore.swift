import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain

/// `podium restore`: a backup verified, then brought back into a new home or an empty store.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup into a new home folder (or an empty PostgreSQL database), verified first.",
        discussion: """
            Before anything is written: the manifest is read, every file it lists must have its size and \
            SHA-256, no other file may be in the backup, every database must pass PRAGMA integrity_check, and \
            every file the databases name must be there; the first failure is backup_corrupt, naming the file. \
            Then the files are copied into NEW.partial-… and renamed to NEW, which must not exist or be empty. \
            Submissions left running by the old server are queued again (the claim not counted). A store's \
            backup goes into an empty database with --store: the dump's hash is checked, pg_restore runs, and \
            every blob must hash to its name. A home's backup restores only into a home and a store's only \
            into a store (podium migrate moves a course from a home into a store).

            Example:
              podium restore /backups/course-2026-12-01 --home /srv/podium/course
              podium restore /backups/course-store --store postgres://podium@db.example.edu/course2
            """)

    @Argument(help: "The backup folder (made by podium backup).")
    var backup: String

    @Option(help: "The new home folder (must not exist or be empty).")
    var home: String?

    @Option(help: "An empty PostgreSQL database, postgres://USER@HOST:PORT/DB, for a store's backup.")
    var store: String?

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    func validate() throws {
        guard (home == nil) != (store == nil) else {
            throw ValidationError("give exactly one of --home NEW (a home's backup) and --store URL (a store's)")
        }
    }

    func run() throws {
        let start = Date()
        do {
            let restored =
                if let store {
                    try StoreRestore(backup: backup, url: store).run()
                } else {
                    try HomeRestore(backup: backup, home: home ?? "").run()
                }
            let summary = BackupSummary(restored.manifest, backup: backup, since: start, requeued: restored.requeued)
            // The trail of the restored course records its restore (a store's through a throwaway cache).
            let cache = NSTemporaryDirectory() + "podium-restore-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: cache) }
            let services =
                try store.map { url throws(JudgeError) in try Root.postgresServices(url: url, home: cache) }
                ?? Root.services(home: home)
            AuditTrail.record(
                .restore, challenge: nil, subject: nil,
                detail: "restored from \(backup) (taken \(summary.createdAt)): \(summary.text)", services: services)
            if json {
                print(PodiumJSON.encode(summary))
                return
            }
            print(
                "restored \(backup) (taken \(summary.createdAt)) into \(store.map(Root.redacted) ?? home ?? ""): \(summary.text)"
            )
            print(
                "verified before writing: the manifest, the size and SHA-256 of every file, no file beside them"
                    + (store == nil
                        ? ", every database's integrity, every file the databases name"
                        : "; after pg_restore, every blob hashes to its name"))
            if let requeued = summary.requeued, requeued > 0 {
                print("queued again: \(requeued) submissions left running by the old server (the claims not counted)")
            }
        } catch {
            throw rejection(error, json: json, home: home)
        }
    }
}
