import Foundation
import PodiumApp
import PodiumChecks
import PodiumDomain
import PostgresNIO

/// `podium migrate` on the PostgreSQL side: a challenge's rows inserted as they were (the same
/// submission numbers, statuses, scores, reports, intervals, probes, holds and selections) in
/// one transaction, and accounts with their stored secrets. A challenge the store already has
/// is refused (`already_exists`): a migration never merges into a live course.
public struct CourseImport: Sendable {
    let pool: Pool

    public init(pool: Pool) { self.pool = pool }

    /// Inserts a challenge; `snapshots` records each version's files inside the transaction.
    public func challenge(_ copy: CourseCopy.Challenge, snapshots: PostgresChallenges.VersionFiles) throws(JudgeError) {
        let id = copy.id
        try pool.transaction { (c: Connection) throws(JudgeError) in
            let next = (copy.submissions.map(\.id).max() ?? 0) + 1
            let now = Instants.timestamp(Date())
            let inserted = try c.execute(
                """
                INSERT INTO challenge (id, next_submission, created_at) VALUES (\(id), \(next), \(now))
                ON CONFLICT DO NOTHING
                """)
            guard inserted == 1 else {
                throw JudgeError(code: .alreadyExists, message: "the store already has a challenge '\(id)'")
            }
            for v in copy.versions {
                try c.execute(
                    """
                    INSERT INTO version (challenge, number, content_hash, published_at, folder, forced)
                    VALUES (\(id), \(v.number), \(v.contentHash), \(v.publishedAt), \(v.folder), \(v.forced))
                    """)
                for (check, reason) in (copy.allowances[v.number] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try c.execute(
                        """
                        INSERT INTO allowance (challenge, version, "check", reason, allowed_at)
                        VALUES (\(id), \(v.number), \(check.rawValue), \(reason), \(v.publishedAt))
                        """)
                }
                try snapshots(c, id, v.number)
            }
            for s in copy.submissions {
                // A submission queued or running in the old home is queued here: a worker takes it.
                let status = s.status == .running ? SubmissionStatus.queued : s.status
                try c.execute(
                    """
                    INSERT INTO submission (challenge, id, participant, team, file_sha256, file_name, message,
                      submitted_at, day, late, status, version, error_code, error_message, error_row, error_column,
                      selected, held, cleared_reason)
                    VALUES (\(id), \(s.id), \(s.participant), \(s.team), \(s.fileSha256), \(s.fileName), \(s.message),
                      \(s.submittedAt), \(s.day), \(s.late), \(status.rawValue), \(s.version), \(s.errorCode?.rawValue),
                      \(s.errorMessage), \(s.errorRow), \(s.errorColumn), \(s.selected), \(s.held), \(copy.cleared[s.id]))
                    """)
            }
            for s in copy.scores {
                try c.execute(
                    """
                    INSERT INTO score (challenge, submission_id, version, status, public_primary, private_primary,
                      report, scored_at)
                    VALUES (\(id), \(s.submissionId), \(s.version), \(s.status.rawValue), \(s.publicPrimary),
                      \(s.privatePrimary), \(s.report), \(s.scoredAt))
                    """)
            }
            for (submission, intervals) in copy.intervals {
                for i in intervals {
                    try c.execute(
                        """
                        INSERT INTO interval (challenge, submission_id, version, split, low, high)
                        VALUES (\(id), \(submission), \(i.version), 'private', \(i.low), \(i.high))
                        """)
                }
            }
            for (submission, probe) in copy.probes {
                let bytes = ByteBuffer(bytes: probe)
                try c.execute(
                    "INSERT INTO probe (challenge, submission_id, signature) VALUES (\(id), \(submission), \(bytes))")
            }
            if copy.submissions.contains(where: { $0.status == .queued || $0.status == .running }) {
                try c.execute("SELECT pg_notify(\(Queue.channel), \(id))")
            }
        }
    }

    /// Inserts the accounts whose names are free (with their password hashes and secrets);
    /// returns the names it skipped.
    public func accounts(_ people: [CourseCopy.Person]) throws(JudgeError) -> [String] {
        try pool.transaction { (c: Connection) throws(JudgeError) -> [String] in
            var skipped: [String] = []
            for p in people {
                let a = p.account
                let added = try c.execute(
                    """
                    INSERT INTO account (name, role, display, email, created_at, disabled_at, password_hash)
                    VALUES (\(a.name), \(a.role.rawValue), \(a.display), \(a.email), \(a.createdAt), \(p.disabledAt),
                      \(p.passwordHash))
                    ON CONFLICT DO NOTHING
                    """)
                guard added == 1 else {
                    skipped.append(a.name)
                    continue
                }
                for s in p.secrets {
                    try c.execute(
                        """
                        INSERT INTO secret (sha256, kind, name, created_at, expires_at, revoked_at, label)
                        VALUES (\(s.sha256), \(s.kind), \(a.name), \(s.createdAt), \(s.expiresAt), \(s.revokedAt),
                          \(s.label))
                        ON CONFLICT DO NOTHING
                        """)
                }
            }
            return skipped
        }
    }
}
