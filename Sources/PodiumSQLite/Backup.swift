import Foundation
import GRDB
import PodiumDomain

/// SQLite's side of `podium backup` and `podium restore`: a consistent copy of any database
/// while a server writes to it (the online backup API), and what a copy holds that a backup
/// counts and checks.
public enum SQLiteBackup {
    /// What a challenge's database refers to and counts.
    public struct ChallengeFacts: Sendable {
        public var submissions = 0
        public var scores = 0
        /// The submissions left `running` (their lease belonged to a process of the source).
        public var running = 0
        /// The SHA-256 of every submitted file a submission names.
        public var files: Set<String> = []
        /// Every version's number and content hash.
        public var versions: [Int: String] = [:]
    }

    /// Copies the database `source` into the new file `target` with SQLite's online backup API
    /// (all pages in one step, inside one read transaction of the source: a consistent state
    /// however the server writes meanwhile, and no writer is ever blocked, the source being in
    /// WAL mode). The copy is switched to a rollback journal, so that it is one self-contained
    /// file that can be read without writing beside it, and must pass `PRAGMA integrity_check`.
    public static func copy(_ source: String, to target: String) throws(JudgeError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        do {
            // A queue does not change the source's journal mode (a pool would make it WAL).
            let from = try DatabaseQueue(path: source, configuration: configuration)
            let to = try DatabaseQueue(path: target)
            try from.backup(to: to)
            try from.close()
            try to.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let check = try to.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try to.close()
            guard check == ["ok"] else {
                throw JudgeError(
                    code: .databaseError,
                    message:
                        "the copy of \(source) fails its integrity check: \(check.prefix(3).joined(separator: "; "))")
            }
        } catch let error as JudgeError {
            throw error
        } catch {
            throw SQLiteFile.failure(error, "cannot back up \(source) into \(target)")
        }
    }

    /// `PRAGMA integrity_check` of a database file, opened read-only: "ok", or what is wrong.
    /// A file that is not a database at all says so.
    public static func integrityCheck(_ path: String) -> String {
        do {
            return try readOnly(path) { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check").prefix(3).joined(separator: "; ")
            }
        } catch {
            return "\(error)"
        }
    }

    /// What the challenge database at `path` (a copy) refers to and counts, read-only.
    public static func challengeFacts(_ path: String) throws(JudgeError) -> ChallengeFacts {
        do {
            return try readOnly(path) { db in
                var facts = ChallengeFacts()
                facts.submissions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submission") ?? 0
                facts.scores = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM score") ?? 0
                facts.running =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM submission WHERE status = 'running'") ?? 0
                facts.files = Set(try String.fetchAll(db, sql: "SELECT DISTINCT fileSha256 FROM submission"))
                for row in try Row.fetchAll(db, sql: "SELECT number, contentHash FROM version") {
                    facts.versions[row[0]] = row[1]
                }
                return facts
            }
        } catch {
            throw SQLiteFile.failure(error, "cannot read \(path)")
        }
    }

    /// The rows of `table` in the database at `path`, or nil when it has no such table.
    public static func count(_ table: String, in path: String) throws(JudgeError) -> Int? {
        do {
            return try readOnly(path) { db in
                try db.tableExists(table)
                    ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") : nil
            }
        } catch {
            throw SQLiteFile.failure(error, "cannot read \(path)")
        }
    }

    /// Opens the restored challenge database at `path` (running its migrations, as any open
    /// does) and queues again every submission left `running`, without counting the claim:
    /// its lease belonged to a process of the machine the backup came from. Returns how many.
    public static func requeueRunning(_ path: String) throws(JudgeError) -> Int {
        let database = try ChallengeDatabase(path: path)
        let ids = try database.requeue(where: "1 = 1", [], refund: true)
        do { try database.pool.close() } catch { throw SQLiteFile.failure(error, "cannot close \(path)") }
        return ids.count
    }

    static func readOnly<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }
}
