import Foundation
import GRDB

/// A challenge's SQLite database (WAL, busy timeout), created and upgraded by migrations.
public final class ChallengeDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.foreignKeysEnabled = true
        // Opening switches the file to WAL and migrating checks then creates tables: two
        // processes doing both at once (two first publishes, a publish and a submit) collide
        // ("table already exists", "database is locked"), so they take turns. Best effort: a
        // home where no lock file can be made fails below with the real reason.
        let lock = try? FileLock.acquire(path + ".lock", timeout: 60)
        defer { lock?.release() }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.failure(error, "cannot open \(path)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "version") { t in
                t.primaryKey("number", .integer)
                t.column("contentHash", .text).notNull().unique()
                t.column("publishedAt", .text).notNull()
                t.column("folder", .text).notNull()
                t.column("forced", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "submission") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("participant", .text).notNull()
                t.column("team", .text).notNull()
                t.column("fileSha256", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("message", .text)
                t.column("submittedAt", .text).notNull()
                t.column("day", .text).notNull()
                t.column("late", .boolean).notNull()
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('received', 'scored', 'rejected', 'failed')")
                t.column("version", .integer).notNull().references("version")
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("errorRow", .integer)
                t.column("errorColumn", .text)
                t.column("selected", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "submissionByTeamDay", on: "submission", columns: ["team", "day"])
            try db.create(table: "score") { t in
                t.column("submissionId", .integer).notNull().references("submission")
                t.column("version", .integer).notNull().references("version")
                t.column("status", .text).notNull()
                t.column("publicPrimary", .double)
                t.column("privatePrimary", .double)
                t.column("report", .text).notNull()
                t.column("scoredAt", .text).notNull()
                t.primaryKey(["submissionId", "version"])
            }
        }
        m.registerMigration("v2-intervals") { db in
            // Bootstrap intervals of the primary metric, cached for statistical ties on boards.
            try db.create(table: "interval") { t in
                t.column("submissionId", .integer).notNull().references("submission")
                t.column("version", .integer).notNull().references("version")
                t.column("split", .text).notNull()
                t.column("low", .double)
                t.column("high", .double)
                t.primaryKey(["submissionId", "version", "split"])
            }
        }
        m.registerMigration("v3-allowances") { db in
            // Blocking leakage findings an instructor published over, with their reasons.
            try db.create(table: "allowance") { t in
                t.column("version", .integer).notNull().references("version")
                t.column("check", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("allowedAt", .text).notNull()
                t.primaryKey(["version", "check"])
            }
        }
        m.registerMigration("v4-held") { db in
            // Submissions held off the public board by a check, until an instructor clears them.
            try db.alter(table: "submission") { t in
                t.add(column: "held", .boolean).notNull().defaults(to: false)
                t.add(column: "clearedReason", .text)
            }
        }
        m.registerMigration("v5-probes") { db in
            // Each scored prediction file's fingerprint for the probing check (at most 16 KB).
            try db.create(table: "probe") { t in
                t.column("submissionId", .integer).notNull().primaryKey().references("submission")
                t.column("signature", .blob).notNull()
            }
        }
        m.registerMigration("v6-canonical-names") { db in
            // DESIGN §7: names are trimmed and lower-cased. Rows written before the rule get the
            // same folding when the folded name is valid, so `Alice` and `alice` become one
            // participant (one limit, one board row); any other name stays as it was: read and
            // shown escaped, never matched by a new submission.
            for column in ["participant", "team"] {
                for name in try String.fetchAll(db, sql: "SELECT DISTINCT \(column) FROM submission") {
                    guard let folded = Names.canonical(name), folded != name else { continue }
                    try db.execute(sql: "UPDATE submission SET \(column) = ? WHERE \(column) = ?", arguments: [folded, name])
                }
            }
        }
        return m
    }

    /// A scored submission's probing fingerprint, inside the transaction that records its score.
    static func saveProbe(_ db: Database, _ id: Int64, _ signature: Data) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO probe (submissionId, signature) VALUES (?, ?)", arguments: [id, signature])
    }

    /// The fingerprints of a team's `limit` most recent scored submissions (before submission
    /// `before`, when given), oldest first.
    public func probes(team: String, before: Int64? = nil, limit: Int = 19) throws(StoreError) -> [Data] {
        try read { db in
            try Data.fetchAll(
                db,
                sql: "SELECT p.signature FROM probe p JOIN submission s ON s.id = p.submissionId "
                    + "WHERE s.team = ? AND s.status = 'scored' AND s.id < ? ORDER BY s.id DESC LIMIT ?",
                arguments: [team, before ?? Int64.max, limit]
            ).reversed()
        }
    }

    /// Holds a submission off the public board (unless an instructor already cleared it).
    public func hold(_ id: Int64, _ held: Bool) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE submission SET held = ? WHERE id = ? AND clearedReason IS NULL", arguments: [held, id])
        }
    }

    /// Clears a held submission, with the instructor's reason.
    public func clear(_ id: Int64, reason: String) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE submission SET held = 0, clearedReason = ? WHERE id = ? AND held = 1", arguments: [reason, id])
            return db.changesCount > 0
        }
    }

    /// Records that a version was published over a blocking finding, and why.
    public func allow(version: Int, check: String, reason: String, at time: String) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO allowance (version, \"check\", reason, allowedAt) VALUES (?, ?, ?, ?)",
                arguments: [version, check, reason, time])
        }
    }

    /// The allowances of a version: check name → reason.
    public func allowances(version: Int) throws(StoreError) -> [String: String] {
        try read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \"check\", reason FROM allowance WHERE version = ?", arguments: [version]) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Cached bootstrap intervals of one split: submission id → (version, low, high).
    public func intervals(split: String) throws(StoreError) -> [Int64: [(version: Int, low: Double?, high: Double?)]] {
        try read { db in
            var out: [Int64: [(version: Int, low: Double?, high: Double?)]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT submissionId, version, low, high FROM interval WHERE split = ?", arguments: [split])
            while let row = try rows.next() {
                out[row[0], default: []].append((row[1], row[2], row[3]))
            }
            return out
        }
    }

    public func saveInterval(submissionId: Int64, version: Int, split: String, low: Double?, high: Double?) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO interval (submissionId, version, split, low, high) VALUES (?, ?, ?, ?, ?)",
                arguments: [submissionId, version, split, low, high])
        }
    }

    // MARK: versions

    public func latestVersion() throws(StoreError) -> VersionRecord? {
        try read { db in try VersionRecord.order(Column("number").desc).fetchOne(db) }
    }

    public func versions() throws(StoreError) -> [VersionRecord] {
        try read { db in try VersionRecord.order(Column("number")).fetchAll(db) }
    }

    public func addVersion(_ version: VersionRecord) throws(StoreError) {
        try write { db in try version.insert(db) }
    }

    // MARK: submissions

    /// Records a submission. One that would count against the limits (status `received` or
    /// `scored`) is refused as `rejected` with `limit_reached` when its team already has
    /// `perDay` counting submissions on that UTC day or `total` overall; rejected and failed
    /// submissions never count. With `score`, its row is written in the same transaction (only
    /// when the submission is not refused). One IMMEDIATE transaction, so concurrent submitters
    /// are counted one after another.
    public func receive(_ submission: SubmissionRecord, perDay: Int, total: Int?, score: ScoreRecord? = nil, probe: Data? = nil) throws(StoreError) -> SubmissionRecord {
        try write { db in
            var record = submission
            if record.status == "received" || record.status == "scored" {
                let counting = "status IN ('received', 'scored')"
                let today = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM submission WHERE team = ? AND day = ? AND \(counting)",
                    arguments: [record.team, record.day]) ?? 0
                let overall = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM submission WHERE team = ? AND \(counting)", arguments: [record.team]) ?? 0
                if today >= perDay {
                    record.status = "rejected"
                    record.errorCode = "limit_reached"
                    record.errorMessage = "\(record.team) has used its \(perDay) submissions for \(record.day) (UTC); the next day starts at 00:00 UTC"
                } else if let total, overall >= total {
                    record.status = "rejected"
                    record.errorCode = "limit_reached"
                    record.errorMessage = "\(record.team) has used all \(total) submissions of this challenge"
                }
            }
            try record.insert(db)
            if var score, record.errorCode != "limit_reached" {
                score.submissionId = record.id!
                try score.insert(db)
                if let probe, score.status == "scored" {
                    try Self.saveProbe(db, record.id!, probe)
                }
            }
            return record
        }
    }

    /// Inserts a submission as it is (for refusals decided before any limit, such as `not_open`).
    public func insert(_ submission: SubmissionRecord) throws(StoreError) -> SubmissionRecord {
        try write { db in
            var record = submission
            try record.insert(db)
            return record
        }
    }

    /// Records an evaluation: the score row for its version, and the submission's status.
    public func record(_ score: ScoreRecord, error: (code: String, message: String, row: Int?, column: String?)?, probe: Data? = nil) throws(StoreError) {
        try write { db in
            try score.save(db)
            if let probe, score.status == "scored" {
                try Self.saveProbe(db, score.submissionId, probe)
            }
            try db.execute(
                sql: """
                    UPDATE submission SET status = ?, errorCode = ?, errorMessage = ?, errorRow = ?, errorColumn = ?
                    WHERE id = ?
                    """,
                arguments: [score.status, error?.code, error?.message, error?.row, error?.column, score.submissionId])
        }
    }

    /// Submissions in id order, read by column position (boards read thousands of them).
    public func submissions(team: String? = nil) throws(StoreError) -> [SubmissionRecord] {
        try read { db in
            let sql =
                "SELECT id, participant, team, fileSha256, fileName, message, submittedAt, day, late, status, version, "
                + "errorCode, errorMessage, errorRow, errorColumn, selected, held FROM submission "
                + (team == nil ? "" : "WHERE team = ? ") + "ORDER BY id"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: team.map { [$0] } ?? [])
            var out: [SubmissionRecord] = []
            while let row = try rows.next() {
                var s = SubmissionRecord(
                    participant: row[1], team: row[2], fileSha256: row[3], fileName: row[4], message: row[5],
                    submittedAt: row[6], day: row[7], late: row[8], status: row[9], version: row[10])
                s.id = row[0]
                s.errorCode = row[11]
                s.errorMessage = row[12]
                s.errorRow = row[13]
                s.errorColumn = row[14]
                s.selected = row[15]
                s.held = row[16]
                out.append(s)
            }
            return out
        }
    }

    /// Only what a leaderboard reads of each submission (id, team, time, late, status,
    /// selected, held, error code); the other fields are left empty. Boards read tens of thousands of rows.
    public func boardSubmissions() throws(StoreError) -> [SubmissionRecord] {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT id, team, submittedAt, late, status, selected, version, held, errorCode FROM submission ORDER BY id")
            var out: [SubmissionRecord] = []
            while let row = try rows.next() {
                var s = SubmissionRecord(
                    participant: "", team: row[1], fileSha256: "", fileName: "", message: nil, submittedAt: row[2], day: "",
                    late: row[3], status: row[4], version: row[6])
                s.id = row[0]
                s.selected = row[5]
                s.held = row[7]
                s.errorCode = row[8]
                out.append(s)
            }
            return out
        }
    }

    public func submission(_ id: Int64) throws(StoreError) -> SubmissionRecord? {
        try read { db in try SubmissionRecord.fetchOne(db, key: id) }
    }

    /// Every score row, for boards and re-scoring; `withReports: false` leaves the (large)
    /// report text out.
    public func scores(withReports: Bool = true) throws(StoreError) -> [ScoreRecord] {
        try read { db in
            let extra = withReports ? "report, scoredAt" : "'', ''"
            let rows = try Row.fetchCursor(
                db, sql: "SELECT submissionId, version, status, publicPrimary, privatePrimary, \(extra) FROM score")
            var out: [ScoreRecord] = []
            while let row = try rows.next() {
                out.append(
                    ScoreRecord(
                        submissionId: row[0], version: row[1], status: row[2], publicPrimary: row[3], privatePrimary: row[4],
                        report: row[5], scoredAt: row[6]))
            }
            return out
        }
    }

    /// Marks exactly `ids` as the team's selected submissions.
    public func select(team: String, ids: [Int64]) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE submission SET selected = 0 WHERE team = ?", arguments: [team])
            for id in ids {
                try db.execute(sql: "UPDATE submission SET selected = 1 WHERE id = ? AND team = ?", arguments: [id, team])
            }
        }
    }

    /// `PRAGMA integrity_check`.
    public func integrityCheck() throws(StoreError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// `PRAGMA synchronous = NORMAL` on the writer: in WAL mode commits then survive any crash
    /// of the process intact, and only a power loss may undo the last ones. For bulk work that
    /// can be redone (re-scoring), not for accepting submissions.
    public func relaxDurability() throws(StoreError) {
        do { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") } } catch {
            throw Self.failure(error, path)
        }
    }

    // MARK: plumbing

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw Self.failure(error, path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T? = nil
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.failure(error, path)
        }
    }

    /// A database failure: `home_unavailable` when the environment refused (a read-only home, a
    /// file that cannot be opened or created, a full disk), else `database_error`.
    static func failure(_ error: any Error, _ message: String) -> StoreError {
        let environment: Set<Int32> = [
            ResultCode.SQLITE_READONLY.primaryResultCode.rawValue, ResultCode.SQLITE_CANTOPEN.rawValue,
            ResultCode.SQLITE_FULL.rawValue, ResultCode.SQLITE_PERM.rawValue,
        ]
        if let error = error as? DatabaseError, environment.contains(error.resultCode.primaryResultCode.rawValue) {
            return StoreError("home_unavailable", "\(message): \(error.message ?? "\(error.resultCode)")")
        }
        return StoreError("database_error", "\(message): \(error)")
    }
}
