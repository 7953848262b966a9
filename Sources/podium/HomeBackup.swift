import Foundation
import PodiumDomain
import PodiumFiles
import PodiumSQLite
import PodiumSystem

/// A backup of a home folder, taken while a server may be writing to it: every SQLite database
/// by the online backup API (each challenge's first, then those at the root: the accounts are
/// then at least as new as any submission), then the version snapshots those copies name and
/// the stored files, each hashed as it is copied; then the check that everything the copied
/// databases refer to is in the backup, and `manifest.json` last. It is written into
/// `DEST.partial-…` and renamed to DEST only when complete.
struct HomeBackup {
    let home: String
    let destination: String
    let podiumVersion: String
    let createdAt: String

    /// The layout of a backup of a home, relative to its folder (the home's own layout).
    static func databasePath(_ challenge: String) -> String { "\(challenge)/podium.sqlite" }
    static func versionPath(_ challenge: String, _ version: Int) -> String { "\(challenge)/versions/\(version)" }
    static func filesPath(_ challenge: String) -> String { "\(challenge)/files" }

    func run() throws(JudgeError) -> BackupManifest {
        try Self.requireFolder(home)
        // A backup inside the home would be read as part of the course (and lost with its disk).
        let inside = URL(fileURLWithPath: home).standardizedFileURL.resolvingSymlinksInPath().path + "/"
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        if (target + "/").hasPrefix(inside) {
            throw JudgeError(
                code: .usage,
                message: "the backup \(destination) is inside the home \(home): put it elsewhere "
                    + "(another disk, ideally)")
        }
        return try BackupFolder.build(destination) { (staging: String) throws(JudgeError) in try write(into: staging) }
    }

    func write(into staging: String) throws(JudgeError) -> BackupManifest {
        var entries: [BackupManifest.Entry] = []
        var counts = BackupManifest.Counts()
        var facts: [String: SQLiteBackup.ChallengeFacts] = [:]
        for challenge in Self.challenges(home) {
            let path = Self.databasePath(challenge)
            try makeDirectory("\(staging)/\(challenge)")
            try SQLiteBackup.copy("\(home)/\(path)", to: "\(staging)/\(path)")
            entries.append(try BackupFiles.entry("\(staging)/\(path)", as: path))
            facts[challenge] = try SQLiteBackup.challengeFacts("\(staging)/\(path)")
        }
        for name in Self.rootDatabases(home) {
            try SQLiteBackup.copy("\(home)/\(name)", to: "\(staging)/\(name)")
            entries.append(try BackupFiles.entry("\(staging)/\(name)", as: name))
            if name == "accounts.sqlite" {
                counts.accounts = try SQLiteBackup.count("account", in: "\(staging)/\(name)") ?? 0
            }
        }
        for (challenge, fact) in facts.sorted(by: { $0.key < $1.key }) {
            for version in fact.versions.keys.sorted() {
                let path = Self.versionPath(challenge, version)
                let names = BackupFiles.list("\(home)/\(path)")
                guard !names.isEmpty else {
                    throw JudgeError(
                        code: .missingStoredFile,
                        message:
                            "version \(version) of \(challenge) has no files in \(home)/\(path); nothing was backed up")
                }
                for name in names {
                    entries.append(
                        try BackupFiles.copy(
                            "\(home)/\(path)/\(name)", to: "\(staging)/\(path)/\(name)", as: "\(path)/\(name)"))
                }
            }
            entries += try copyStoredFiles(challenge, into: staging)
            counts.challenges += 1
            counts.submissions += fact.submissions
            counts.scores += fact.scores
        }
        try BackupCheck.references(facts, entries, code: .missingStoredFile)
        let manifest = BackupManifest(
            podiumVersion: podiumVersion, createdAt: createdAt, source: .home, counts: counts, files: entries)
        BackupFiles.syncFolders(staging)
        try manifest.write(into: staging)
        return manifest
    }

    /// Copies every stored file of a challenge (`files/ab/abcd…`; an upload's temporary is not
    /// one): each must hash to its name, else the backup fails naming it.
    func copyStoredFiles(_ challenge: String, into staging: String) throws(JudgeError) -> [BackupManifest.Entry] {
        let folder = Self.filesPath(challenge)
        var entries: [BackupManifest.Entry] = []
        for name in BackupFiles.list("\(home)/\(folder)") {
            guard let sha256 = Self.storedName(name) else { continue }
            let path = "\(folder)/\(name)"
            let entry = try BackupFiles.copy("\(home)/\(path)", to: "\(staging)/\(path)", as: path)
            guard entry.sha256 == sha256 else {
                throw JudgeError(
                    code: .corruptStoredFile,
                    message: "the stored file \(home)/\(path) no longer hashes to its name (its bytes changed on "
                        + "disk); nothing was backed up: restore that file from an earlier backup, or ask its "
                        + "student to submit it again")
            }
            entries.append(entry)
        }
        return entries
    }

    /// The SHA-256 a stored file's relative path `ab/abcd…` names, or nil for anything else.
    static func storedName(_ relative: String) -> String? {
        let parts = relative.split(separator: "/")
        guard parts.count == 2, parts[1].count == 64, parts[1].hasPrefix(parts[0]), parts[0].count == 2,
            parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        return String(parts[1])
    }

    /// The challenges of a home: the folders with a `podium.sqlite`.
    static func challenges(_ home: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []
        return names.filter {
            !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(home)/\(databasePath($0))")
        }
        .sorted()
    }

    /// Every SQLite database at the root of a home (`accounts.sqlite`, and any other a later
    /// release adds), by name: regular files ending in `.sqlite`.
    static func rootDatabases(_ home: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home)) ?? []
        return names.filter { name in
            var folder: ObjCBool = false
            return name.hasSuffix(".sqlite")
                && FileManager.default.fileExists(atPath: "\(home)/\(name)", isDirectory: &folder)
                && !folder.boolValue
        }.sorted()
    }

    static func requireFolder(_ home: String) throws(JudgeError) {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: home, isDirectory: &folder), folder.boolValue else {
            throw JudgeError(code: .homeUnavailable, message: "the home folder \(home) does not exist")
        }
    }
}
