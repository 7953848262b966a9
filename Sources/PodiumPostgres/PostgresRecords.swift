import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain
import PostgresNIO

/// One challenge's versions, submissions and scores in the course schema; the same
/// operations, transactions and answers as the SQLite adapter (the store tests run both).
public struct PostgresRecords: ChallengeRecords {
    let pool: Pool
    public let challenge: String
    let snapshots: PostgresChallenges.VersionFiles?

    // MARK: versions

    public func latestVersion() throws(JudgeError) -> VersionRecord? {
        try versions(limit: "ORDER BY number DESC LIMIT 1").first
    }

    public func versions() throws(JudgeError) -> [VersionRecord] { try versions(limit: "ORDER BY number") }

    func versions(limit: String) throws(JudgeError) -> [VersionRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [VersionRecord] in
            var out: [VersionRecord] = []
            let rows = try c.rows(
                """
                SELECT number, content_hash, published_at, folder, forced FROM version WHERE challenge = \(challenge)
                \(unescaped: limit)
                """)
            for row in rows {
                let (number, hash, at, folder, forced) = try row.values((Int, String, String, String, Bool).self)
                out.append(
                    VersionRecord(number: number, contentHash: hash, publishedAt: at, folder: folder, forced: forced))
            }
            return out
        }
    }

    public func addVersion(_ version: VersionRecord, allowances: [CheckName: String]) throws(JudgeError) {
        try pool.transaction { (c: Connection) throws(JudgeError) in
            try c.execute(
                """
                INSERT INTO version (challenge, number, content_hash, published_at, folder, forced)
                VALUES (\(challenge), \(version.number), \(version.contentHash), \(version.publishedAt), \(version.folder),
                  \(version.forced))
                """)
            for (check, reason) in allowances.sorted(by: { $0.key < $1.key }) {
                try c.execute(
                    """
                    INSERT INTO allowance (challenge, version, "check", reason, allowed_at)
                    VALUES (\(challenge), \(version.number), \(check.rawValue), \(reason), \(version.publishedAt))
                    ON CONFLICT (challenge, version, "check") DO UPDATE SET reason = EXCLUDED.reason,
                      allowed_at = EXCLUDED.allowed_at
                    """)
            }
            try snapshots?(c, challenge, version.number)
        }
    }

    public func allowances(version: Int) throws(JudgeError) -> [CheckName: String] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [CheckName: String] in
            var out: [CheckName: String] = [:]
            let rows = try c.rows(
                "SELECT \"check\", reason FROM allowance WHERE challenge = \(challenge) AND version = \(version)")
            for row in rows {
                let (check, reason) = try row.values((String, String).self)
                if let name = CheckName(rawValue: check) { out[name] = reason }
            }
            return out
        }
    }

    // MARK: accepting

    /// Locks the challenge's row (so concurrent submitters are counted one after another, on
    /// any machine), counts, asks the admission rule, takes the next number and inserts; a
    /// queued row wakes the idle workers (NOTIFY, delivered at commit).
    public func accept(_ submission: NewSubmission, admit: (Admission.Counts) -> JudgeError?) throws(JudgeError)
        -> SubmissionRecord
    {
        try pool.transaction { (c: Connection) throws(JudgeError) -> SubmissionRecord in
            let id = try nextNumber(c)
            let refusal = admit(try counts(c, team: submission.team, day: submission.day))
            return try insert(c, id: id, submission, refusal)
        }
    }

    public func insertRefused(_ submission: NewSubmission, _ refusal: JudgeError) throws(JudgeError) -> SubmissionRecord
    {
        try pool.transaction { (c: Connection) throws(JudgeError) -> SubmissionRecord in
            try insert(c, id: try nextNumber(c), submission, refusal)
        }
    }

    func nextNumber(_ c: Connection) throws(JudgeError) -> Int64 {
        guard
            let row = try c.rows(
                """
                UPDATE challenge SET next_submission = next_submission + 1 WHERE id = \(challenge)
                RETURNING next_submission - 1
                """
            ).first
        else { throw JudgeError(code: .unknownChallenge, message: "no challenge '\(challenge)' is published") }
        return try row.value(Int64.self)
    }

    public func counts(team: String, day: String) throws(JudgeError) -> Admission.Counts {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Admission.Counts in
            try counts(c, team: team, day: day)
        }
    }

    func counts(_ c: Connection, team: String, day: String) throws(JudgeError) -> Admission.Counts {
        let row = try c.rows(
            """
            SELECT COUNT(*) FILTER (WHERE day = \(day)), COUNT(*) FROM submission
            WHERE challenge = \(challenge) AND team = \(team) AND status IN ('queued', 'running', 'scored')
            """
        ).first
        let (today, overall) = try row?.values((Int, Int).self) ?? (0, 0)
        return Admission.Counts(today: today, overall: overall)
    }

    func insert(_ c: Connection, id: Int64, _ s: NewSubmission, _ refusal: JudgeError?) throws(JudgeError)
        -> SubmissionRecord
    {
        let status = (refusal == nil ? SubmissionStatus.queued : .rejected)
        try c.execute(
            """
            INSERT INTO submission (challenge, id, participant, team, file_sha256, file_name, message, submitted_at, day,
              late, status, version, error_code, error_message, error_row, error_column)
            VALUES (\(challenge), \(id), \(s.participant), \(s.team), \(s.fileSha256), \(s.fileName), \(s.message),
              \(s.submittedAt), \(s.day), \(s.late), \(status.rawValue), \(s.version), \(refusal?.code.rawValue),
              \(refusal?.message), \(refusal?.row), \(refusal?.column))
            """)
        if refusal == nil { try c.execute("SELECT pg_notify(\(Queue.channel), \(challenge))") }
        var record = SubmissionRecord(id: id, s, status: status)
        record.errorCode = refusal?.code
        record.errorMessage = refusal?.message
        record.errorRow = refusal?.row
        record.errorColumn = refusal?.column
        return record
    }

    // MARK: evaluations

    @discardableResult
    public func record(_ evaluation: EvaluationRecord) throws(JudgeError) -> Bool {
        let score = evaluation.score
        let error = evaluation.error
        let id = score.submissionId
        return try pool.transaction { (c: Connection) throws(JudgeError) -> Bool in
            // A leased evaluation commits only while its worker still holds the lease (the row
            // locked until the commit, so a sweep cannot take it meanwhile).
            if let owner = evaluation.leaseOwner {
                let holds = try c.rows(
                    """
                    SELECT status = 'running' AND lease_owner IS NOT DISTINCT FROM \(owner) FROM submission
                    WHERE challenge = \(challenge) AND id = \(id) FOR UPDATE
                    """
                ).first?.value(Bool.self)
                guard holds == true else { return false }
            }
            try c.execute(
                """
                INSERT INTO score (challenge, submission_id, version, status, public_primary, private_primary, report,
                  scored_at)
                VALUES (\(challenge), \(id), \(score.version), \(score.status.rawValue), \(score.publicPrimary),
                  \(score.privatePrimary), \(score.report), \(score.scoredAt))
                ON CONFLICT (challenge, submission_id, version) DO UPDATE SET status = EXCLUDED.status,
                  public_primary = EXCLUDED.public_primary, private_primary = EXCLUDED.private_primary,
                  report = EXCLUDED.report, scored_at = EXCLUDED.scored_at
                """)
            if let probe = evaluation.probe, score.status == .scored {
                let bytes = ByteBuffer(bytes: probe)
                try c.execute(
                    """
                    INSERT INTO probe (challenge, submission_id, signature) VALUES (\(challenge), \(id), \(bytes))
                    ON CONFLICT (challenge, submission_id) DO UPDATE SET signature = EXCLUDED.signature
                    """)
            }
            try c.execute(
                """
                UPDATE submission SET status = \(score.status.rawValue), error_code = \(error?.code.rawValue),
                  error_message = \(error?.message), error_row = \(error?.row), error_column = \(error?.column)
                WHERE challenge = \(challenge) AND id = \(id)
                """)
            // An evaluation may hold a submission, never release one: only an instructor does.
            if evaluation.hold {
                try c.execute(
                    """
                    UPDATE submission SET held = true
                    WHERE challenge = \(challenge) AND id = \(id) AND cleared_reason IS NULL
                    """)
            }
            if evaluation.leaseOwner != nil {
                try c.execute(
                    """
                    UPDATE submission SET lease_owner = NULL, lease_until = NULL
                    WHERE challenge = \(challenge) AND id = \(id)
                    """)
            }
            return true
        }
    }

    public func report(submission: Int64, version: Int) throws(JudgeError) -> String? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> String? in
            try c.rows(
                """
                SELECT report FROM score WHERE challenge = \(challenge) AND submission_id = \(submission)
                  AND version = \(version)
                """
            ).first?.value(String.self)
        }
    }

    public func scores(withReports: Bool) throws(JudgeError) -> [ScoreRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [ScoreRecord] in
            let extra = withReports ? "report, scored_at" : "'', ''"
            let rows = try c.rows(
                """
                SELECT submission_id, version, status, public_primary, private_primary, \(unescaped: extra)
                FROM score WHERE challenge = \(challenge)
                """)
            return try rows.decoded { (row: PostgresRow) throws(JudgeError) -> ScoreRecord in
                var r = RowReader(row)
                let id = try r.next(Int64.self)
                let version = try r.next(Int.self)
                let status = try r.next(String.self)
                let pub = try r.next(Double?.self)
                let priv = try r.next(Double?.self)
                return ScoreRecord(
                    submissionId: id, version: version, status: SubmissionStatus(rawValue: status) ?? .failed,
                    publicPrimary: pub, privatePrimary: priv, report: try r.next(String.self),
                    scoredAt: try r.next(String.self))
            }
        }
    }

    public func probes(team: String, before: Int64?, limit: Int) throws(JudgeError) -> [[UInt8]] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [[UInt8]] in
            var out: [[UInt8]] = []
            let rows = try c.rows(
                """
                SELECT p.signature FROM probe p
                JOIN submission s ON s.challenge = p.challenge AND s.id = p.submission_id
                WHERE p.challenge = \(challenge) AND s.team = \(team) AND s.status = 'scored'
                  AND s.id < \(before ?? Int64.max)
                ORDER BY s.id DESC LIMIT \(limit)
                """)
            for row in rows {
                var buffer = try row.value(ByteBuffer.self)
                out.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
            return out.reversed()
        }
    }

    public func intervals() throws(JudgeError) -> [Int64: [StoredInterval]] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [Int64: [StoredInterval]] in
            var out: [Int64: [StoredInterval]] = [:]
            let rows = try c.rows(
                """
                SELECT submission_id, version, low, high FROM interval
                WHERE challenge = \(challenge) AND split = 'private'
                """)
            for row in rows {
                var r = RowReader(row)
                let id = try r.next(Int64.self)
                let interval = StoredInterval(
                    version: try r.next(Int.self), low: try r.next(Double?.self), high: try r.next(Double?.self))
                out[id, default: []].append(interval)
            }
            return out
        }
    }

    public func saveInterval(_ submission: Int64, _ interval: StoredInterval) throws(JudgeError) {
        try pool.withConnection { (c: Connection) throws(JudgeError) in
            try c.execute(
                """
                INSERT INTO interval (challenge, submission_id, version, split, low, high)
                VALUES (\(challenge), \(submission), \(interval.version), 'private', \(interval.low), \(interval.high))
                ON CONFLICT (challenge, submission_id, version, split) DO UPDATE SET low = EXCLUDED.low,
                  high = EXCLUDED.high
                """)
        }
    }

    // MARK: an instructor's and a team's choices

    public func select(team: String, ids: [Int64]) throws(JudgeError) {
        try pool.transaction { (c: Connection) throws(JudgeError) in
            try c.execute("UPDATE submission SET selected = false WHERE challenge = \(challenge) AND team = \(team)")
            for id in ids {
                try c.execute(
                    """
                    UPDATE submission SET selected = true WHERE challenge = \(challenge) AND id = \(id) AND team = \(team)
                    """)
            }
        }
    }

    public func clear(_ id: Int64, reason: String) throws(JudgeError) -> Bool {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE submission SET held = false, cleared_reason = \(reason)
                WHERE challenge = \(challenge) AND id = \(id) AND held
                """) > 0
        }
    }

    /// Nothing to relax: every commit waits for PostgreSQL's WAL flush (bulk re-scoring on
    /// several machines is bound by evaluation, not by commits).
    public func relaxDurability() throws(JudgeError) {}
}
