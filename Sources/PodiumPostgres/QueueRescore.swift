import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

// A re-score shared by the workers: one item per submission, claimed like a submission.
extension Queue {
    public func enqueueRescore(challenge: String, version: Int, submissions: [Int64], by who: String, now: Double)
        throws(JudgeError) -> Int64
    {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Int64 in
            guard
                let row = try c.rows(
                    """
                    INSERT INTO rescore_job (challenge, version, started_by, started_at, total)
                    VALUES (\(challenge), \(version), \(who), \(now), \(submissions.count)) RETURNING id
                    """
                ).first
            else { throw JudgeError.store("database_error", "the store did not create the re-score job") }
            let job = try row.value(Int64.self)
            try c.execute(
                """
                INSERT INTO rescore_item (job, challenge, submission_id, status)
                SELECT \(job), \(challenge), id, 'queued' FROM unnest(\(submissions)::bigint[]) AS id
                """)
            try c.execute("SELECT pg_notify(\(Self.channel), \(challenge))")
            return job
        }
    }

    public func claimRescoreItem(lease: Lease, now: Double) throws(JudgeError) -> RescoreItem? {
        try pool.transaction { (c: Connection) throws(JudgeError) -> RescoreItem? in
            let rows = try c.rows(
                """
                WITH next AS (
                  SELECT i.job, i.submission_id FROM rescore_item i
                  WHERE i.status = 'queued' AND i.available_at <= \(now)
                  ORDER BY i.job, i.submission_id
                  LIMIT 1
                  FOR UPDATE SKIP LOCKED)
                UPDATE rescore_item i SET status = 'running', lease_owner = \(lease.owner),
                  lease_until = \(now + lease.seconds), attempts = i.attempts + 1
                FROM next, rescore_job j
                WHERE i.job = next.job AND i.submission_id = next.submission_id AND j.id = i.job
                RETURNING i.job, i.challenge, i.submission_id, j.version, i.attempts
                """)
            guard let row = rows.first else { return nil }
            let (job, challenge, id, version, attempts) = try row.values((Int64, String, Int64, Int, Int).self)
            return RescoreItem(job: job, challenge: challenge, submission: id, version: version, attempts: attempts)
        }
    }

    public func finishRescoreItem(
        _ item: RescoreItem, lease: Lease, outcome: SubmissionStatus?, retryAfter: Double?, now: Double
    ) throws(JudgeError) -> Bool {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Bool in
            let changed: Int
            if let outcome {
                changed = try c.execute(
                    """
                    UPDATE rescore_item SET status = 'done', outcome = \(outcome.rawValue), lease_owner = NULL,
                      lease_until = NULL
                    WHERE job = \(item.job) AND submission_id = \(item.submission) AND status = 'running'
                      AND lease_owner = \(lease.owner)
                    """)
            } else {
                changed = try c.execute(
                    """
                    UPDATE rescore_item SET
                      status = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'failed' ELSE 'queued' END,
                      error = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'judge_error' ELSE error END,
                      lease_owner = NULL, lease_until = NULL, available_at = \(now + (retryAfter ?? 0))
                    WHERE job = \(item.job) AND submission_id = \(item.submission) AND status = 'running'
                      AND lease_owner = \(lease.owner)
                    """)
            }
            try c.execute(
                """
                UPDATE rescore_job SET finished_at = \(now)
                WHERE id = \(item.job) AND finished_at IS NULL AND NOT EXISTS (
                  SELECT 1 FROM rescore_item WHERE job = \(item.job) AND status IN ('queued', 'running'))
                """)
            return changed > 0
        }
    }

    public func rescoreProgress(_ job: Int64) throws(JudgeError) -> RescoreProgress? {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> RescoreProgress? in
            let rows = try c.rows(
                """
                SELECT j.challenge, j.version, j.total, j.started_by,
                  COUNT(*) FILTER (WHERE i.status IN ('done', 'failed'))::bigint,
                  COUNT(*) FILTER (WHERE i.outcome = 'scored')::bigint,
                  COUNT(*) FILTER (WHERE i.outcome = 'rejected')::bigint,
                  COUNT(*) FILTER (WHERE i.outcome = 'failed' OR i.status = 'failed')::bigint
                FROM rescore_job j LEFT JOIN rescore_item i ON i.job = j.id
                WHERE j.id = \(job) GROUP BY j.id
                """)
            guard let row = rows.first else { return nil }
            let v = try row.values((String, Int, Int, String, Int, Int, Int, Int).self)
            return RescoreProgress(
                job: job, challenge: v.0, version: v.1, total: v.2, done: v.4, scored: v.5, rejected: v.6, failed: v.7,
                startedBy: v.3)
        }
    }
}

extension Queue {
    public func renewRescoreItem(_ item: RescoreItem, lease: Lease, now: Double) throws(JudgeError) -> Bool {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE rescore_item SET lease_until = \(now + lease.seconds)
                WHERE job = \(item.job) AND submission_id = \(item.submission) AND status = 'running'
                  AND lease_owner = \(lease.owner)
                """) > 0
        }
    }
}
