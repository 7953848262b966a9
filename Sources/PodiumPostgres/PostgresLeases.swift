import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

// Leases on one challenge's submissions (DESIGN §7–§8): a claim by id (the command line's own
// evaluation), renewal by heartbeat, release and the requeue of expired leases. The shared
// queue's claim of the next job of any challenge is `Queue.claimNext`.
extension PostgresRecords {
    /// The message of a submission that failed on the judge's side `Lease.maximumAttempts` times.
    static let judgeErrorMessage =
        "the judge failed to evaluate this submission 3 times; the instructor has been told (it can be re-scored)"

    public func claim(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE submission SET status = 'failed', error_code = 'judge_error', lease_owner = NULL,
                  lease_until = NULL, error_message = \(Self.judgeErrorMessage)
                WHERE challenge = \(challenge) AND id = \(id) AND attempts >= \(Lease.maximumAttempts)
                  AND (status = 'queued' OR (status = 'running' AND COALESCE(lease_until, 0) < \(now)))
                """)
            let claimed = try c.execute(
                """
                UPDATE submission SET status = 'running', lease_owner = \(lease.owner),
                  lease_until = \(now + lease.seconds), attempts = attempts + 1
                WHERE challenge = \(challenge) AND id = \(id)
                  AND (status = 'queued' OR (status = 'running' AND COALESCE(lease_until, 0) < \(now)))
                """)
            return claimed > 0
        }
    }

    public func renew(_ id: Int64, lease: Lease, now: Double) throws(JudgeError) -> Bool {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE submission SET lease_until = \(now + lease.seconds)
                WHERE challenge = \(challenge) AND id = \(id) AND status = 'running' AND lease_owner = \(lease.owner)
                """) > 0
        }
    }

    public func releaseLeases(ownerPrefix: String, refund: Bool) throws(JudgeError) -> [Int64] {
        let pattern =
            ownerPrefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try requeue(
            """
            UPDATE submission SET status = 'queued', lease_owner = NULL, lease_until = NULL,
              attempts = GREATEST(0, attempts - \(refund ? 1 : 0))
            WHERE challenge = \(challenge) AND status = 'running' AND lease_owner LIKE \(pattern)
            RETURNING id
            """)
    }

    /// Queues again what expired; after `Lease.maximumAttempts` claims the submission is
    /// `failed` with `judge_error` instead (the sweep of the shared queue does the same).
    public func requeueExpired(now: Double) throws(JudgeError) -> [Int64] {
        try requeue(
            """
            UPDATE submission SET status = 'queued', lease_owner = NULL, lease_until = NULL
            WHERE challenge = \(challenge) AND status = 'running' AND COALESCE(lease_until, 0) < \(now)
            RETURNING id
            """)
    }

    func requeue(_ query: PostgresQuery) throws(JudgeError) -> [Int64] {
        try pool.transaction { (c: Connection) throws(JudgeError) -> [Int64] in
            var ids: [Int64] = []
            for row in try c.rows(query) { ids.append(try row.value(Int64.self)) }
            if !ids.isEmpty { try c.execute("SELECT pg_notify(\(Queue.channel), \(challenge))") }
            return ids.sorted()
        }
    }
}
