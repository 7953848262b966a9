import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

// The reads of a challenge's submissions: one row, a team's, all, what a board needs.
extension PostgresRecords {
    static let columns =
        "id, participant, team, file_sha256, file_name, message, submitted_at, day, late, status, version, "
        + "error_code, error_message, error_row, error_column, selected, held"

    /// A row of `columns`, read cell by cell.
    @Sendable static func submission(_ row: PostgresRow) throws(JudgeError) -> SubmissionRecord {
        var r = RowReader(row)
        let id = try r.next(Int64.self)
        let participant = try r.next(String.self)
        let team = try r.next(String.self)
        let sha256 = try r.next(String.self)
        let fileName = try r.next(String.self)
        let message = try r.next(String?.self)
        let submittedAt = try r.next(String.self)
        let day = try r.next(String.self)
        let late = try r.next(Bool.self)
        let status = try r.next(String.self)
        let version = try r.next(Int.self)
        let new = NewSubmission(
            participant: participant, team: team, fileSha256: sha256, fileName: fileName, message: message,
            submittedAt: submittedAt, day: day, late: late, version: version)
        var s = SubmissionRecord(id: id, new, status: SubmissionStatus(rawValue: status) ?? .failed)
        s.errorCode = try r.next(String?.self).map(ErrorCode.init(rawValue:))
        s.errorMessage = try r.next(String?.self)
        s.errorRow = try r.next(Int?.self)
        s.errorColumn = try r.next(String?.self)
        s.selected = try r.next(Bool.self)
        s.held = try r.next(Bool.self)
        return s
    }

    func submissionRows(_ query: PostgresQuery) throws(JudgeError) -> [SubmissionRecord] {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> [SubmissionRecord] in
            try c.rows(query).decoded(Self.submission)
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
            let rows = try c.rows(
                """
                SELECT id, team, submitted_at, late, status, selected, version, held, error_code FROM submission
                WHERE challenge = \(challenge) ORDER BY id
                """)
            return try rows.decoded { (row: PostgresRow) throws(JudgeError) -> SubmissionRecord in
                var r = RowReader(row)
                let id = try r.next(Int64.self)
                let team = try r.next(String.self)
                let at = try r.next(String.self)
                let late = try r.next(Bool.self)
                let status = try r.next(String.self)
                let selected = try r.next(Bool.self)
                let version = try r.next(Int.self)
                let held = try r.next(Bool.self)
                let code = try r.next(String?.self)
                let new = NewSubmission(
                    participant: "", team: team, fileSha256: "", fileName: "", message: nil, submittedAt: at, day: "",
                    late: late, version: version)
                var s = SubmissionRecord(id: id, new, status: SubmissionStatus(rawValue: status) ?? .failed)
                s.selected = selected
                s.held = held
                s.errorCode = code.map(ErrorCode.init(rawValue:))
                return s
            }
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
