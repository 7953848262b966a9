import Foundation
import GRDB
import PodiumApp
import PodiumChecks
import PodiumDomain
import PodiumSystem

/// A challenge's SQLite database (WAL, busy timeout), created and upgraded by migrations.
public final class ChallengeDatabase: ChallengeRecords {
    let file: SQLiteFile
    public var pool: DatabasePool { file.pool }
    public var path: String { file.path }

    /// Opens (creating if needed) the database at `path`.
    public init(path: String) throws(JudgeError) {
        file = try SQLiteFile(path: path, migrator: Self.migrator)
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
                    try db.execute(
                        sql: "UPDATE submission SET \(column) = ? WHERE \(column) = ?", arguments: [folded, name])
                }
            }
        }
        m.registerMigration("v7-queue") { db in
            // Accepting and evaluating become two steps (DESIGN §6): a submission waits as
            // `queued`, is `running` while evaluated, then ends scored, rejected or failed.
            // SQLite cannot change a CHECK constraint in place: the table is rebuilt.
            try db.create(table: "submission_v7") { t in
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
                    .check(sql: "status IN ('queued', 'running', 'scored', 'rejected', 'failed')")
                t.column("version", .integer).notNull().references("version")
                t.column("errorCode", .text)
                t.column("errorMessage", .text)
                t.column("errorRow", .integer)
                t.column("errorColumn", .text)
                t.column("selected", .boolean).notNull().defaults(to: false)
                t.column("held", .boolean).notNull().defaults(to: false)
                t.column("clearedReason", .text)
            }
            let columns =
                "id, participant, team, fileSha256, fileName, message, submittedAt, day, late, status, version, "
                + "errorCode, errorMessage, errorRow, errorColumn, selected, held, clearedReason"
            try db.execute(
                sql:
                    "INSERT INTO submission_v7 (\(columns)) SELECT "
                    + "\(columns.replacingOccurrences(of: "status", with: "CASE status WHEN 'received' THEN 'queued' ELSE status END")) FROM submission"
            )
            try db.drop(table: "submission")
            try db.rename(table: "submission_v7", to: "submission")
            try db.create(index: "submissionByTeamDay", on: "submission", columns: ["team", "day"])
            try db.create(index: "submissionByStatus", on: "submission", columns: ["status"])
        }
        m.registerMigration("v8-lease") { db in
            // A server's workers claim a queued submission with a lease (DESIGN §7): who holds
            // it and until when (seconds since 1970); an expired lease is queued again. `attempts`
            // counts the claims.
            try db.alter(table: "submission") { t in
                t.add(column: "leaseOwner", .text)
                t.add(column: "leaseUntil", .double)
                t.add(column: "attempts", .integer).notNull().defaults(to: 0)
            }
        }
        return m
    }

    // MARK: versions

    public func latestVersion() throws(JudgeError) -> VersionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM version ORDER BY number DESC LIMIT 1").map(Self.version)
        }
    }

    public func versions() throws(JudgeError) -> [VersionRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM version ORDER BY number").map(Self.version) }
    }

    static func version(_ row: Row) -> VersionRecord {
        VersionRecord(
            number: row["number"], contentHash: row["contentHash"], publishedAt: row["publishedAt"],
            folder: row["folder"],
            forced: row["forced"])
    }

    public func addVersion(_ version: VersionRecord, allowances: [CheckName: String]) throws(JudgeError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO version (number, contentHash, publishedAt, folder, forced) VALUES (?, ?, ?, ?, ?)",
                arguments: [version.number, version.contentHash, version.publishedAt, version.folder, version.forced])
            for (check, reason) in allowances.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO allowance (version, \"check\", reason, allowedAt) VALUES (?, ?, ?, ?)",
                    arguments: [version.number, check.rawValue, reason, version.publishedAt])
            }
        }
    }

    public func allowances(version: Int) throws(JudgeError) -> [CheckName: String] {
        try read { db in
            var out: [CheckName: String] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT \"check\", reason FROM allowance WHERE version = ?", arguments: [version])
            for row in rows {
                if let name = CheckName(rawValue: row[0]) { out[name] = row[1] }
            }
            return out
        }
    }

    // MARK: submissions

    /// Counts the team's submissions, asks the admission rule, inserts: one IMMEDIATE
    /// transaction, so concurrent submitters are counted one after another.
    public func accept(_ submission: NewSubmission, admit: (Admission.Counts) -> JudgeError?) throws(JudgeError)
        -> SubmissionRecord
    {
        try write { db in
            let refusal = admit(try Self.counts(db, team: submission.team, day: submission.day))
            return try Self.insert(db, submission, refusal)
        }
    }

    public func counts(team: String, day: String) throws(JudgeError) -> Admission.Counts {
        try read { db in try Self.counts(db, team: team, day: day) }
    }

    /// What the admission rule reads: the team's counting submissions today and overall.
    static func counts(_ db: Database, team: String, day: String) throws -> Admission.Counts {
        let counting = "status IN ('queued', 'running', 'scored')"
        let today =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM submission WHERE team = ? AND day = ? AND \(counting)",
                arguments: [team, day]) ?? 0
        let overall =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM submission WHERE team = ? AND \(counting)", arguments: [team]) ?? 0
        return Admission.Counts(today: today, overall: overall)
    }

    public func insertRefused(_ submission: NewSubmission, _ refusal: JudgeError) throws(JudgeError) -> SubmissionRecord
    {
        try write { db in try Self.insert(db, submission, refusal) }
    }

    static func insert(_ db: Database, _ s: NewSubmission, _ refusal: JudgeError?) throws -> SubmissionRecord {
        try db.execute(
            sql: """
                INSERT INTO submission (participant, team, fileSha256, fileName, message, submittedAt, day, late, status,
                  version, errorCode, errorMessage, errorRow, errorColumn)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                s.participant, s.team, s.fileSha256, s.fileName, s.message, s.submittedAt, s.day, s.late,
                (refusal == nil ? SubmissionStatus.queued : .rejected).rawValue, s.version, refusal?.code.rawValue,
                refusal?.message, refusal?.row, refusal?.column,
            ])
        var record = SubmissionRecord(id: db.lastInsertedRowID, s, status: refusal == nil ? .queued : .rejected)
        record.errorCode = refusal?.code
        record.errorMessage = refusal?.message
        record.errorRow = refusal?.row
        record.errorColumn = refusal?.column
        return record
    }

    @discardableResult
    public func record(_ evaluation: EvaluationRecord) throws(JudgeError) -> Bool {
        let score = evaluation.score
        let error = evaluation.error
        return try write { db in
            // A leased evaluation commits only while its worker still holds the lease: one that
            // lost it (expired, taken by another worker) writes nothing.
            if let owner = evaluation.leaseOwner {
                let holds = try Bool.fetchOne(
                    db, sql: "SELECT status = 'running' AND leaseOwner = ? FROM submission WHERE id = ?",
                    arguments: [owner, score.submissionId])
                guard holds == true else { return false }
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO score (submissionId, version, status, publicPrimary, privatePrimary, report, scoredAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    score.submissionId, score.version, score.status.rawValue, score.publicPrimary, score.privatePrimary,
                    score.report, score.scoredAt,
                ])
            if let probe = evaluation.probe, score.status == .scored {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO probe (submissionId, signature) VALUES (?, ?)",
                    arguments: [score.submissionId, Data(probe)])
            }
            try db.execute(
                sql: """
                    UPDATE submission SET status = ?, errorCode = ?, errorMessage = ?, errorRow = ?, errorColumn = ?
                    WHERE id = ?
                    """,
                arguments: [
                    score.status.rawValue, error?.code.rawValue, error?.message, error?.row, error?.column,
                    score.submissionId,
                ])
            // An evaluation may hold a submission, never release one: only an instructor does.
            if evaluation.hold {
                try db.execute(
                    sql: "UPDATE submission SET held = 1 WHERE id = ? AND clearedReason IS NULL",
                    arguments: [score.submissionId])
            }
            if evaluation.leaseOwner != nil {
                try db.execute(
                    sql: "UPDATE submission SET leaseOwner = NULL, leaseUntil = NULL WHERE id = ?",
                    arguments: [score.submissionId])
            }
            return true
        }
    }

    public func claim(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool {
        try write { db in
            // A submission whose evaluations died with their worker three times (a file that
            // crashes the judge, a machine that keeps failing) ends `failed` with judge_error
            // instead of taking the queue down again at every restart.
            try db.execute(
                sql: """
                    UPDATE submission SET status = 'failed', errorCode = 'judge_error', leaseOwner = NULL,
                      leaseUntil = NULL,
                      errorMessage = 'the judge failed to evaluate this submission ' || attempts || ' times; '
                        || 'the instructor has been told (it can be re-scored)'
                    WHERE id = ? AND attempts >= ? AND (status = 'queued' OR (status = 'running'
                      AND COALESCE(leaseUntil, 0) < ?))
                    """,
                arguments: [id, Lease.maximumAttempts, now])
            try db.execute(
                sql: """
                    UPDATE submission SET status = 'running', leaseOwner = ?, leaseUntil = ?, attempts = attempts + 1
                    WHERE id = ? AND (status = 'queued' OR (status = 'running' AND COALESCE(leaseUntil, 0) < ?))
                    """,
                arguments: [lease.owner, now + lease.seconds, id, now])
            return db.changesCount > 0
        }
    }

    public func renew(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE submission SET leaseUntil = ? WHERE id = ? AND status = 'running' AND leaseOwner = ?",
                arguments: [now + lease.seconds, id, lease.owner])
            return db.changesCount > 0
        }
    }

    public func releaseLeases(ownerPrefix: String, refund: Bool) throws(JudgeError) -> [Int64] {
        try requeue(where: "leaseOwner LIKE ? || '%'", [ownerPrefix], refund: refund)
    }

    public func requeueExpired(now: Double) throws(JudgeError) -> [Int64] {
        try requeue(where: "COALESCE(leaseUntil, 0) < ?", [now], refund: false)
    }

    /// Queues again the running submissions a condition picks; returns their ids.
    func requeue(where condition: String, _ arguments: StatementArguments, refund: Bool) throws(JudgeError) -> [Int64] {
        try write { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM submission WHERE status = 'running' AND \(condition)", arguments: arguments)
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE submission SET status = 'queued', leaseOwner = NULL, leaseUntil = NULL,
                          attempts = MAX(0, attempts - ?) WHERE id = ?
                        """,
                    arguments: [refund ? 1 : 0, id])
            }
            return ids
        }
    }

    public func queued() throws(JudgeError) -> [QueuedSubmission] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, participant, team, submittedAt FROM submission WHERE status = 'queued' ORDER BY id"
            ).map { QueuedSubmission(id: $0[0], participant: $0[1], team: $0[2], submittedAt: $0[3]) }
        }
    }

    public func report(submission: Int64, version: Int) throws(JudgeError) -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT report FROM score WHERE submissionId = ? AND version = ?",
                arguments: [submission, version])
        }
    }

    public func statusCounts() throws(JudgeError) -> [SubmissionStatus: Int] {
        try read { db in
            var out: [SubmissionStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM submission GROUP BY status") {
                if let status = SubmissionStatus(rawValue: row[0]) { out[status] = row[1] }
            }
            return out
        }
    }

    public func running() throws(JudgeError) -> [RunningSubmission] {
        try read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, participant, leaseOwner, leaseUntil, attempts FROM submission WHERE status = 'running' "
                    + "ORDER BY id"
            ).map {
                RunningSubmission(id: $0[0], participant: $0[1], owner: $0[2], leaseUntil: $0[3], attempts: $0[4])
            }
        }
    }

    public func unfinished() throws(JudgeError) -> [SubmissionRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM submission WHERE status IN ('queued', 'running') ORDER BY id"
            ).map(Self.submission)
        }
    }

    static let columns =
        "id, participant, team, fileSha256, fileName, message, submittedAt, day, late, status, version, "
        + "errorCode, errorMessage, errorRow, errorColumn, selected, held"

    /// A submission row read by column position (boards read thousands of them).
    static func submission(_ row: Row) -> SubmissionRecord {
        let new = NewSubmission(
            participant: row[1], team: row[2], fileSha256: row[3], fileName: row[4], message: row[5],
            submittedAt: row[6],
            day: row[7], late: row[8], version: row[10])
        var s = SubmissionRecord(id: row[0], new, status: SubmissionStatus(rawValue: row[9]) ?? .failed)
        s.errorCode = (row[11] as String?).map(ErrorCode.init(rawValue:))
        s.errorMessage = row[12]
        s.errorRow = row[13]
        s.errorColumn = row[14]
        s.selected = row[15]
        s.held = row[16]
        return s
    }

    public func submissions(team: String?) throws(JudgeError) -> [SubmissionRecord] {
        try read { db in
            let sql = "SELECT \(Self.columns) FROM submission " + (team == nil ? "" : "WHERE team = ? ") + "ORDER BY id"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: team.map { [$0] } ?? [])
            var out: [SubmissionRecord] = []
            while let row = try rows.next() { out.append(Self.submission(row)) }
            return out
        }
    }

    /// Only what a leaderboard reads of each submission (id, team, time, late, status,
    /// selected, held, error code); the other fields are left empty.
    public func boardSubmissions() throws(JudgeError) -> [SubmissionRecord] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT id, team, submittedAt, late, status, selected, version, held, errorCode FROM submission "
                    + "ORDER BY id"
            )
            var out: [SubmissionRecord] = []
            while let row = try rows.next() {
                let new = NewSubmission(
                    participant: "", team: row[1], fileSha256: "", fileName: "", message: nil, submittedAt: row[2],
                    day: "",
                    late: row[3], version: row[6])
                var s = SubmissionRecord(id: row[0], new, status: SubmissionStatus(rawValue: row[4]) ?? .failed)
                s.selected = row[5]
                s.held = row[7]
                s.errorCode = (row[8] as String?).map(ErrorCode.init(rawValue:))
                out.append(s)
            }
            return out
        }
    }

    public func submission(_ id: Int64) throws(JudgeError) -> SubmissionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM submission WHERE id = ?", arguments: [id])
                .map(Self.submission)
        }
    }

    public func scores(withReports: Bool) throws(JudgeError) -> [ScoreRecord] {
        try read { db in
            let extra = withReports ? "report, scoredAt" : "'', ''"
            let rows = try Row.fetchCursor(
                db, sql: "SELECT submissionId, version, status, publicPrimary, privatePrimary, \(extra) FROM score")
            var out: [ScoreRecord] = []
            while let row = try rows.next() {
                out.append(
                    ScoreRecord(
                        submissionId: row[0], version: row[1], status: SubmissionStatus(rawValue: row[2]) ?? .failed,
                        publicPrimary: row[3], privatePrimary: row[4], report: row[5], scoredAt: row[6]))
            }
            return out
        }
    }

    public func probes(team: String, before: Int64?, limit: Int) throws(JudgeError) -> [[UInt8]] {
        try read { db in
            try Data.fetchAll(
                db,
                sql: "SELECT p.signature FROM probe p JOIN submission s ON s.id = p.submissionId "
                    + "WHERE s.team = ? AND s.status = 'scored' AND s.id < ? ORDER BY s.id DESC LIMIT ?",
                arguments: [team, before ?? Int64.max, limit]
            ).reversed().map { Array($0) }
        }
    }

    public func intervals() throws(JudgeError) -> [Int64: [StoredInterval]] {
        try read { db in
            var out: [Int64: [StoredInterval]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT submissionId, version, low, high FROM interval WHERE split = 'private'")
            while let row = try rows.next() {
                out[row[0], default: []].append(StoredInterval(version: row[1], low: row[2], high: row[3]))
            }
            return out
        }
    }

    public func saveInterval(_ submission: Int64, _ interval: StoredInterval) throws(JudgeError) {
        try write { db in
            try db.execute(
                sql:
                    "INSERT OR REPLACE INTO interval (submissionId, version, split, low, high) VALUES (?, ?, "
                    + "'private', ?, ?)",
                arguments: [submission, interval.version, interval.low, interval.high])
        }
    }

    public func select(team: String, ids: [Int64]) throws(JudgeError) {
        try write { db in
            try db.execute(sql: "UPDATE submission SET selected = 0 WHERE team = ?", arguments: [team])
            for id in ids {
                try db.execute(
                    sql: "UPDATE submission SET selected = 1 WHERE id = ? AND team = ?", arguments: [id, team])
            }
        }
    }

    public func clear(_ id: Int64, reason: String) throws(JudgeError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE submission SET held = 0, clearedReason = ? WHERE id = ? AND held = 1",
                arguments: [reason, id])
            return db.changesCount > 0
        }
    }

    /// `PRAGMA integrity_check`.
    public func integrityCheck() throws(JudgeError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// `PRAGMA synchronous = NORMAL` on the writer: in WAL mode commits then survive any crash
    /// of the process intact, and only a power loss may undo the last ones. For bulk work that
    /// can be redone (re-scoring), not for accepting submissions.
    public func relaxDurability() throws(JudgeError) {
        do { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") } } catch {
            throw SQLiteFile.failure(error, path)
        }
    }

    // MARK: plumbing

    func read<T>(_ body: (Database) throws -> T) throws(JudgeError) -> T { try file.read(body) }

    func write<T>(_ body: (Database) throws -> T) throws(JudgeError) -> T { try file.write(body) }
}
