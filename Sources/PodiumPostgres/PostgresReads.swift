import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

// The reads of a challenge's submissions: one row, a team's, all, what a board needs.
extension PostgresRecords {
    static let columns =
        "id, participant, team, file_sha256, file_name, message, submitted_at, day, late, status, version, "
        + "error_code, error_message, error_row, error_column, selected, held"

    typealias SubmissionColumns = (
        Int64, String, String, String, String, String?, String, String, Bool, String, Int, String?, String?, Int?,
        String?, Bool, Bool
    )

    static func submission(_ row: PostgresRow) throws(JudgeError) -> SubmissionRecord {
        let v = try row.values(SubmissionColumns.self)
        let new = NewSubmission(
            participant: v.1, team: v.2, fileSha256: v.3, fileName: v.4, message: v.5, submittedAt: v.6, day: v.7,
            late: v.8, version: v.10)
        var s = SubmissionRecord(id: v.0, new, status: SubmissionStatus(rawValue: v.9) ?? .failed)
        s.errorCode = v.11.map(ErrorCode.init(rawValue:))
        s.errorMessage = v.12
        s.errorRow = v.13
        s.errorColumn = v.14
        s.selected = v.15
        s.held = v.16
        return s
    }

    func submissionRows(_ query: PostgresQuery) throws(JudgeError) -> [SubmissionRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [SubmissionRecord] in
            var out: [SubmissionRecord] = []
            for row in try c.rows(query) { out.append(try Self.submission(row)) }
            return out
        }
    }

    public func submission(_ id: Int64) throws(JudgeError) -> SubmissionRecord? {
        try submissionRows(
            "SELECT \(unescaped: Self.columns) FROM submission WHERE challenge = \(challenge) AND id = \(id)"
        ).first
    }

    public func submissions(team: String?) throws(JudgeError) -> [SubmissionRecord] {
        if let team {
            return try submissionRows(
                """
                SELECT \(unescaped: Self.columns) FROM submission WHERE challenge = \(challenge) AND team = \(team)
                ORDER BY id
                """)
        }
        return try submissionRows(
            "SELECT \(unescaped: Self.columns) FROM submission WHERE challenge = \(challenge) ORDER BY id")
    }

    public func unfinished() throws(JudgeError) -> [SubmissionRecord] {
        try submissionRows(
            """
            SELECT \(unescaped: Self.columns) FROM submission
            WHERE challenge = \(challenge) AND status IN ('queued', 'running') ORDER BY id
            """)
    }

    /// Only what a leaderboard reads of each submission; the other fields are left empty.
    public func boardSubmissions() throws(JudgeError) -> [SubmissionRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [SubmissionRecord] in
            var out: [SubmissionRecord] = []
            let rows = try c.rows(
                """
                SELECT id, team, submitted_at, late, status, selected, version, held, error_code FROM submission
                WHERE challenge = \(challenge) ORDER BY id
                """)
            out.reserveCapacity(rows.count)
            for row in rows {
                let v = try row.values((Int64, String, String, Bool, String, Bool, Int, Bool, String?).self)
                let new = NewSubmission(
                    participant: "", team: v.1, fileSha256: "", fileName: "", message: nil, submittedAt: v.2, day: "",
                    late: v.3, version: v.6)
                var s = SubmissionRecord(id: v.0, new, status: SubmissionStatus(rawValue: v.4) ?? .failed)
                s.selected = v.5
                s.held = v.7
                s.errorCode = v.8.map(ErrorCode.init(rawValue:))
                out.append(s)
            }
            return out
        }
    }

    public func queued() throws(JudgeError) -> [QueuedSubmission] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [QueuedSubmission] in
            var out: [QueuedSubmission] = []
            let rows = try c.rows(
                """
                SELECT id, participant, team, submitted_at FROM submission
                WHERE challenge = \(challenge) AND status = 'queued' ORDER BY id
                """)
            for row in rows {
                let (id, participant, team, at) = try row.values((Int64, String, String, String).self)
                out.append(QueuedSubmission(id: id, participant: participant, team: team, submittedAt: at))
            }
            return out
        }
    }

    public func running() throws(JudgeError) -> [RunningSubmission] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [RunningSubmission] in
            var out: [RunningSubmission] = []
            let rows = try c.rows(
                """
                SELECT id, participant, lease_owner, lease_until, attempts FROM submission
                WHERE challenge = \(challenge) AND status = 'running' ORDER BY id
                """)
            for row in rows {
                let (id, participant, owner, until, attempts) = try row.values(
                    (Int64, String, String?, Double?, Int).self)
                out.append(
                    RunningSubmission(
                        id: id, participant: participant, owner: owner, leaseUntil: until, attempts: attempts))
            }
            return out
        }
    }

    public func statusCounts() throws(JudgeError) -> [SubmissionStatus: Int] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [SubmissionStatus: Int] in
            var out: [SubmissionStatus: Int] = [:]
            for row in try c.rows(
                "SELECT status, COUNT(*)::bigint FROM submission WHERE challenge = \(challenge) GROUP BY status")
            {
                let (status, count) = try row.values((String, Int).self)
                if let status = SubmissionStatus(rawValue: status) { out[status] = count }
            }
            return out
        }
    }
}
