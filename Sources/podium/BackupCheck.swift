import PodiumDomain
import PodiumFiles
import PodiumSQLite

/// What a backup's databases refer to must be in the backup: each submission's stored file,
/// and each version's snapshot, whose files hash together to the content hash its row keeps
/// (publishing's rule: `NAME SHA256` lines of every file but README.md, sorted by name).
enum BackupCheck {
    /// The manifest of `backup`, checked to be of the kind being restored (a home's backup goes
    /// back only into a home, a store's only into a store: `usage` otherwise), and every file of
    /// the folder against it (`backup_corrupt`).
    static func manifest(of backup: String, restoringInto kind: BackupManifest.Source) throws(JudgeError)
        -> BackupManifest
    {
        let manifest = try BackupManifest.read(from: backup)
        guard manifest.source == kind else {
            let advice =
                kind == .home
                ? "is a backup of a PostgreSQL store; restore it with --store URL into an empty database "
                    + "(podium migrate moves a course from a home into a store, not back)"
                : "is a backup of a home folder; restore it with --home NEW, then move it into PostgreSQL with "
                    + "podium migrate --from NEW --to URL"
            throw JudgeError(code: .usage, message: "\(backup) \(advice)")
        }
        try BackupFiles.verify(backup, manifest)
        return manifest
    }

    static func references(
        _ facts: [String: SQLiteBackup.ChallengeFacts], _ entries: [BackupManifest.Entry], code: ErrorCode
    ) throws(JudgeError) {
        let paths = Dictionary(entries.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        for (challenge, fact) in facts.sorted(by: { $0.key < $1.key }) {
            let files = HomeBackup.filesPath(challenge)
            for sha256 in fact.files.sorted() where paths["\(files)/\(sha256.prefix(2))/\(sha256)"] == nil {
                throw JudgeError(
                    code: code,
                    message: "a submission of \(challenge) names the stored file \(sha256), which is not in the backup")
            }
            for (version, contentHash) in fact.versions.sorted(by: { $0.key < $1.key }) {
                let prefix = HomeBackup.versionPath(challenge, version) + "/"
                let lines = entries.filter { $0.path.hasPrefix(prefix) }
                    .map { (name: String($0.path.dropFirst(prefix.count)), sha256: $0.sha256) }
                    .filter { $0.name != "README.md" }.sorted { $0.name < $1.name }
                    .map { "\($0.name) \($0.sha256)\n" }.joined()
                guard SHA256.hex(Array(lines.utf8)) == contentHash else {
                    throw JudgeError(
                        code: code,
                        message: "the files of \(challenge) version \(version) in the backup are not the ones it "
                            + "was published with (their hashes differ from the version's content hash)")
                }
            }
        }
    }
}
