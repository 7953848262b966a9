import Foundation
import PodiumDomain
import PodiumFiles
import PodiumSQLite

/// A backup of a home brought back into a new home. Everything is verified before anything is
/// written: the manifest, every file's size and SHA-256, no file beside them, each database's
/// integrity, and what the databases refer to. Then the files are copied into a staging folder
/// beside the new home (hashed again as they are copied), the submissions left `running` are
/// queued again, and the folder is renamed into place.
struct HomeRestore {
    let backup: String
    let home: String

    func run() throws(JudgeError) -> Restored {
        try BackupFolder.requireEmpty(home)
        let manifest = try verify()
        return try BackupFolder.build(home) { (staging: String) throws(JudgeError) -> Restored in
            var outcome = Restored(manifest: manifest)
            for entry in manifest.files {
                let copied = try BackupFiles.copy(
                    "\(backup)/\(entry.path)", to: "\(staging)/\(entry.path)", as: entry.path)
                guard copied == entry else {
                    throw BackupManifest.corrupt("\(backup)/\(entry.path) changed while it was restored")
                }
            }
            for challenge in HomeBackup.challenges(staging) {
                outcome.requeued += try SQLiteBackup.requeueRunning("\(staging)/\(HomeBackup.databasePath(challenge))")
            }
            return outcome
        }
    }

    /// The checks of a backup, reading it only: the first failure is `backup_corrupt`.
    func verify() throws(JudgeError) -> BackupManifest {
        let manifest = try BackupCheck.manifest(of: backup, restoringInto: .home)
        var facts: [String: SQLiteBackup.ChallengeFacts] = [:]
        for entry in manifest.files where entry.path.hasSuffix(".sqlite") {
            let check = SQLiteBackup.integrityCheck("\(backup)/\(entry.path)")
            guard check == "ok" else {
                throw BackupManifest.corrupt("\(backup)/\(entry.path) fails its integrity check: \(check)")
            }
            let parts = entry.path.split(separator: "/")
            if parts.count == 2, parts[1] == "podium.sqlite" {
                do { facts[String(parts[0])] = try SQLiteBackup.challengeFacts("\(backup)/\(entry.path)") } catch {
                    throw BackupManifest.corrupt(
                        "\(backup)/\(entry.path) is not a challenge's database: \(error.message)")
                }
            }
        }
        try BackupCheck.references(facts, manifest.files, code: .backupCorrupt)
        return manifest
    }
}
