import ArgumentParser
import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain
import PodiumFiles
import PodiumPostgres
import PodiumRendering
import PodiumSQLite

/// `podium migrate`: a course from a home folder (SQLite) into PostgreSQL, verified.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a course from a home folder (SQLite) into a PostgreSQL store, verified.",
        discussion: """
            Copies every challenge (versions and their files, submissions with their numbers, files, scores, \
            reports, intervals, holds, selections), the audit trail and every account (password hashes, invites and tokens as \
            stored: students keep their logins). Then checks: every stored file read back from the store \
            hashes to its name, and every board (public and private, every version) reads the same from both \
            stores. A challenge the store already has is refused. Stop the server of the home first.

            Example:
              podium migrate --from leaderboards --to postgres://podium@db.example.edu/course
            """)

    @Option(help: "The home folder to copy.")
    var from: String

    @Option(help: "The PostgreSQL store, postgres://USER@HOST:PORT/DB.")
    var to: String

    @Flag(help: "Print machine-readable JSON on stdout.")
    var json = false

    struct Summary: Encodable {
        var challenges: [String] = []
        var submissions = 0
        var scores = 0
        var files = 0
        var bytes = 0
        var accounts = 0
        var skippedAccounts: [String] = []
        var boardsCompared = 0
        var auditEvents = 0

        enum CodingKeys: String, CodingKey {
            case challenges, submissions, scores, files, bytes, accounts
            case auditEvents = "audit_events"
            case skippedAccounts = "skipped_accounts"
            case boardsCompared = "boards_compared"
        }
    }

    func run() async throws {
        let home = URL(fileURLWithPath: from).standardizedFileURL.path
        let cache = NSTemporaryDirectory() + "podium-migrate-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        do {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: home, isDirectory: &isFolder), isFolder.boolValue else {
                throw JudgeError(code: .homeUnavailable, message: "the home folder \(home) does not exist")
            }
            let source = Root.services(home: home)
            let target = try Root.postgresServices(url: to, home: cache)
            let summary = try copy(source: source, target: target, home: home)
            if json {
                print(PodiumJSON.encode(summary))
            } else {
                print(
                    "migrated \(summary.challenges.count) challenges (\(summary.challenges.joined(separator: ", "))), "
                        + "\(summary.submissions) submissions, \(summary.scores) scores, \(summary.files) files "
                        + "(\(summary.bytes) bytes), \(summary.accounts) accounts, \(summary.auditEvents) audit events to "
                        + Root.redacted(to))
                if !summary.skippedAccounts.isEmpty {
                    print(
                        "accounts already in the store, left as they were: \(summary.skippedAccounts.joined(separator: ", "))"
                    )
                }
                print("verified: every file hashes to its name; \(summary.boardsCompared) boards read the same")
            }
        } catch {
            throw rejection(error, json: json, home: home)
        }
    }

    func copy(source: Services, target: Services, home: String) throws(JudgeError) -> Summary {
        guard let blobs = target.blobs as? PostgresBlobs else { return Summary() }
        let store = try PostgresStore(url: to, connections: 2)
        let importer = CourseImport(pool: store.pool)
        let sqlite = SQLiteChallenges(root: home)
        var summary = Summary()
        for id in try source.challenges.challengeIds() {
            guard let records = try source.challenges.records(id) else { continue }
            let database = try sqlite.database(of: id)
            let versions = try records.versions()
            var allowances: [Int: [CheckName: String]] = [:]
            for v in versions {
                allowances[v.number] = try records.allowances(version: v.number)
                let folder = source.blobs.versionFolder(id, v.number)
                let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
                try blobs.snapshot(folder, files: files, challenge: id, version: v.number)
            }
            let submissions = try records.submissions(team: nil)
            for sha in Set(submissions.map(\.fileSha256)).sorted() {
                guard source.blobs.verify(sha, challenge: id) == true else {
                    throw JudgeError(
                        code: .corruptStoredFile,
                        message: "the stored file \(sha) of \(id) is missing or no longer hashes to its name; "
                            + "nothing of \(id) was copied")
                }
                let path = source.blobs.path(of: sha, challenge: id)
                guard try blobs.store(file: path, challenge: id) == sha else {
                    throw JudgeError(code: .corruptStoredFile, message: "the file \(sha) changed while it was copied")
                }
                summary.files += 1
                summary.bytes += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            }
            let scores = try records.scores(withReports: true)
            try importer.challenge(
                CourseCopy.Challenge(
                    id: id, versions: versions, allowances: allowances, submissions: submissions,
                    cleared: try database.clearedReasons(), scores: scores, intervals: try records.intervals(),
                    probes: try database.probesById()),
                snapshots: { (c: Connection, challenge: String, version: Int) throws(JudgeError) in
                    try blobs.recordSnapshot(
                        c, challenge: challenge, version: version, folder: blobs.cache.versionFolder(challenge, version)
                    )
                })
            summary.challenges.append(id)
            summary.submissions += submissions.count
            summary.scores += scores.count
            // Read back: every file from the store, every board from both stores.
            let fresh = PostgresBlobs(
                pool: store.pool, cache: HomeFolder(root: NSTemporaryDirectory() + "podium-verify-\(getpid())"))
            for sha in Set(submissions.map(\.fileSha256)) where fresh.verify(sha, challenge: id) != true {
                throw JudgeError(
                    code: .corruptStoredFile, message: "the file \(sha) of \(id) does not read back from the store")
            }
            for v in versions {
                for kind in [Board.Kind.public, .private] {
                    let before = try Views.leaderboard(
                        id, services: source, kind: kind, reveal: true, version: v.number, withHistory: false)
                    let after = try Views.leaderboard(
                        id, services: target, kind: kind, reveal: true, version: v.number, withHistory: false)
                    guard before.0.render(.json) == after.0.render(.json) else {
                        throw JudgeError(
                            code: .databaseError,
                            message: "the \(kind.rawValue) board of \(id) version \(v.number) reads differently "
                                + "from the store; drop the store's copy and report this")
                    }
                    summary.boardsCompared += 1
                }
            }
        }
        if FileManager.default.fileExists(atPath: home + "/accounts.sqlite") {
            let people = try AccountDatabase(home: home).export()
            summary.skippedAccounts = try importer.accounts(people)
            summary.accounts = people.count - summary.skippedAccounts.count
        }
        summary.auditEvents = try AuditTrail.copy(from: source, to: target)
        return summary
    }
}
