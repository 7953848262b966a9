import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain

/// `podium backup`: a consistent, verified copy of a course while its server runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up a course (a home folder or a PostgreSQL store) into a new folder, verified by hashes.",
        discussion: """
            A home: every SQLite database (copied by SQLite's online backup API: consistent while a server \
            writes), the published versions and the stored files, each hashed as it is copied (a stored file \
            must hash to its name); then every file the databases name is checked to be in the backup, and \
            manifest.json (every file with its size and SHA-256, the counts) is written last. A store: one \
            pg_dump (custom format) and its manifest. The backup is written into DEST.partial-… and renamed to \
            DEST when complete; DEST must not exist or be empty. Lock files, uploads in progress and the \
            server's lock are not backed up. Restore with podium restore.

            Example:
              podium backup --home course /backups/course-$(date +%F)
              podium backup --store postgres://podium@db.example.edu/course /backups/course-store
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A new (or empty) folder for the backup.")
    var destination: String

    func run() throws {
        let start = Date()
        let home = Root.home(global.home)
        do {
            let createdAt = Instants.timestamp(Root.clock().now())
            let manifest =
                if let url = Root.store(global.store) {
                    try StoreBackup(
                        url: url, destination: destination, podiumVersion: Podium.version, createdAt: createdAt
                    ).run()
                } else {
                    try HomeBackup(
                        home: home, destination: destination, podiumVersion: Podium.version, createdAt: createdAt
                    ).run()
                }
            let summary = BackupSummary(manifest, backup: destination, since: start)
            if let services = try? Root.services(global) {
                AuditTrail.record(
                    .backup, challenge: nil, subject: nil, detail: "backed up into \(destination): \(summary.text)",
                    services: services)
            }
            if global.json {
                print(PodiumJSON.encode(summary))
            } else {
                let source = Root.store(global.store).map(Root.redacted) ?? home
                print("backed up \(source) into \(destination): \(summary.text)")
                print(
                    "verified: every file hashes as \(destination)/manifest.json says"
                        + (manifest.source == .home ? "; every file the databases name is in the backup" : ""))
            }
        } catch {
            throw rejection(error, json: global.json, home: home)
        }
    }
}
