import Foundation
import PodiumApp
import PodiumDomain
import PostgresNIO

/// The shared queue on PostgreSQL (DESIGN §8), after the rules of the queues that run in
/// production on it (River, Oban, graphile-worker): a claim is one `UPDATE … FROM (SELECT …
/// FOR UPDATE SKIP LOCKED LIMIT 1)` — two workers never wait for each other and never take the
/// same row —; a lease with a heartbeat, not a held transaction, marks a running job, so a
/// worker that dies (or loses its network) leaves a lease that the sweep of any live worker
/// expires; faults of the judge are retried with exponential backoff and jitter, a student's
/// bad file never (it is an outcome); `LISTEN/NOTIFY` wakes idle workers, a poll every few
/// seconds is the fallback when a notification is lost (a reconnect).
public final class Queue: SharedQueue, @unchecked Sendable {
    /// The channel of `NOTIFY` when work is queued.
    public static let channel = "podium_queue"

    let pool: Pool
    private let condition = NSCondition()
    private var notified = false
    private var listener: PostgresConnection?

    public init(pool: Pool) { self.pool = pool }

    deinit { try? listener?.close().wait() }

    public func claimNext(lease: Lease, now: Double) throws(JudgeError) -> ClaimedJob? {
        try pool.transaction { (c: Connection) throws(JudgeError) -> ClaimedJob? in
            // The team served longest ago first; a team with a submission running waits while
            // another team has work; then the oldest submission.
            let rows = try c.rows(
                """
                WITH busy AS (
                  SELECT DISTINCT challenge, team FROM submission WHERE status = 'running'),
                next AS (
                  SELECT s.challenge, s.id FROM submission s
                  LEFT JOIN team_turn t ON t.challenge = s.challenge AND t.team = s.team
                  LEFT JOIN busy b ON b.challenge = s.challenge AND b.team = s.team
                  WHERE s.status = 'queued' AND s.available_at <= \(now)
                  ORDER BY b.team IS NOT NULL, COALESCE(t.served_at, 0), s.id
                  LIMIT 1
                  FOR UPDATE OF s SKIP LOCKED)
                UPDATE submission s SET status = 'running', lease_owner = \(lease.owner),
                  lease_until = \(now + lease.seconds), attempts = s.attempts + 1
                FROM next WHERE s.challenge = next.challenge AND s.id = next.id
                RETURNING s.challenge, s.id, s.team, s.attempts
                """)
            guard let row = rows.first else { return nil }
            let (challenge, id, team, attempts) = try row.values((String, Int64, String, Int).self)
            try c.execute(
                """
                INSERT INTO team_turn (challenge, team, served_at) VALUES (\(challenge), \(team), \(now))
                ON CONFLICT (challenge, team) DO UPDATE SET served_at = EXCLUDED.served_at
                """)
            return ClaimedJob(job: EvaluationJob(challenge: challenge, submission: id), attempts: attempts)
        }
    }

    public func retryLater(_ job: ClaimedJob, lease: Lease, delay: Double, now: Double) throws(JudgeError) -> Bool {
        try pool.withConnection { (c: Connection) throws(JudgeError) -> Bool in
            try c.execute(
                """
                UPDATE submission SET
                  status = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'failed' ELSE 'queued' END,
                  error_code = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'judge_error' ELSE error_code END,
                  error_message = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN \(PostgresRecords.judgeErrorMessage)
                    ELSE error_message END,
                  lease_owner = NULL, lease_until = NULL, available_at = \(now + delay)
                WHERE challenge = \(job.job.challenge) AND id = \(job.job.submission) AND status = 'running'
                  AND lease_owner = \(lease.owner)
                """) > 0
        }
    }

    public func sweep(now: Double) throws(JudgeError) -> Int {
        try pool.transaction { (c: Connection) throws(JudgeError) -> Int in
            let submissions = try c.execute(
                """
                UPDATE submission SET
                  status = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'failed' ELSE 'queued' END,
                  error_code = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'judge_error' ELSE error_code END,
                  error_message = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN \(PostgresRecords.judgeErrorMessage)
                    ELSE error_message END,
                  lease_owner = NULL, lease_until = NULL,
                  available_at = \(now) + LEAST(300, power(2, attempts)) * (0.5 + random())
                WHERE status = 'running' AND COALESCE(lease_until, 0) < \(now)
                """)
            let items = try c.execute(
                """
                UPDATE rescore_item SET
                  status = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'failed' ELSE 'queued' END,
                  error = CASE WHEN attempts >= \(Lease.maximumAttempts) THEN 'judge_error' ELSE error END,
                  lease_owner = NULL, lease_until = NULL,
                  available_at = \(now) + LEAST(300, power(2, attempts)) * (0.5 + random())
                WHERE status = 'running' AND COALESCE(lease_until, 0) < \(now)
                """)
            return submissions + items
        }
    }

    // MARK: waking up

    public func waitForWork(timeout: Double) {
        listen()
        condition.lock()
        defer { condition.unlock() }
        if !notified { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
        notified = false
    }

    /// Wakes every waiter of this process (a job queued here, or the process stopping).
    public func wake() {
        condition.withLock {
            notified = true
            condition.broadcast()
        }
    }

    /// A dedicated connection that LISTENs; opened again when it was lost (the server
    /// restarted). Best effort: without it the waiters poll.
    func listen() {
        let current = condition.withLock { listener }
        if let current, !current.isClosed { return }
        guard let connection = try? pool.dedicated() else { return }
        connection.addListener(channel: Self.channel) { [weak self] _, _ in self?.wake() }
        do {
            _ = try Connection.bounded(
                connection.query("LISTEN podium_queue", logger: pool.logger), on: connection, seconds: 10)
        } catch {
            try? connection.close().wait()
            return
        }
        let old = condition.withLock { () -> PostgresConnection? in
            defer { listener = connection }
            return listener
        }
        try? old?.close().wait()
        // Work may have arrived while nobody listened.
        wake()
    }
}
