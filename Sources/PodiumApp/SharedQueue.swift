import Foundation
import PodiumDomain

/// The queue several machines share (DESIGN §8, PostgreSQL): the next job of any challenge
/// claimed under a lease so that no two workers take it, a wake-up when work arrives, faults
/// of the judge retried later with backoff, expired leases swept back, and re-scores split
/// into one item per submission that any worker may take.
public protocol SharedQueue: Sendable {
    /// Claims the queued submission whose turn it is (any challenge; the team served longest
    /// ago first, a team already being evaluated last), under `lease`; `nil` when none is due.
    func claimNext(lease: Lease, now: Double) throws(JudgeError) -> ClaimedJob?
    /// Puts a claimed submission back after a fault of the judge, due again at `now + delay`;
    /// false when the lease was lost meanwhile.
    func retryLater(_ job: ClaimedJob, lease: Lease, delay: Double, now: Double) throws(JudgeError) -> Bool
    /// Queues again (with backoff) every submission and re-score item whose lease expired; those
    /// out of attempts end `failed` with `judge_error`. Returns how many it touched.
    func sweep(now: Double) throws(JudgeError) -> Int
    /// Returns when work may have arrived (a notification), or after `timeout` seconds.
    func waitForWork(timeout: Double)
    /// Wakes this process's waiters (a stop).
    func wake()

    /// Splits a re-score into one item per submission; returns the job's id.
    func enqueueRescore(challenge: String, version: Int, submissions: [Int64], by who: String, now: Double)
        throws(JudgeError) -> Int64
    /// Claims the next re-score item due.
    func claimRescoreItem(lease: Lease, now: Double) throws(JudgeError) -> RescoreItem?
    /// Extends a held item's lease; false when it was lost.
    func renewRescoreItem(_ item: RescoreItem, lease: Lease, now: Double) throws(JudgeError) -> Bool
    /// Marks an item done with its outcome (`scored`, `rejected`, `failed`), or due again later
    /// after a fault of the judge (`retryAfter`); false when the lease was lost.
    func finishRescoreItem(
        _ item: RescoreItem, lease: Lease, outcome: SubmissionStatus?, retryAfter: Double?, now: Double
    )
        throws(JudgeError) -> Bool
    /// A re-score's progress, as every machine sees it.
    func rescoreProgress(_ job: Int64) throws(JudgeError) -> RescoreProgress?
}

/// A submission a worker claimed from the shared queue.
public struct ClaimedJob: Sendable, Equatable {
    public var job: EvaluationJob
    /// Claims so far, this one included.
    public var attempts: Int

    public init(job: EvaluationJob, attempts: Int) {
        self.job = job
        self.attempts = attempts
    }
}

/// One submission of a shared re-score.
public struct RescoreItem: Sendable, Equatable {
    public var job: Int64
    public var challenge: String
    public var submission: Int64
    public var version: Int
    public var attempts: Int

    public init(job: Int64, challenge: String, submission: Int64, version: Int, attempts: Int) {
        self.job = job
        self.challenge = challenge
        self.submission = submission
        self.version = version
        self.attempts = attempts
    }
}

/// How far a shared re-score has come.
public struct RescoreProgress: Sendable, Equatable {
    public var job: Int64
    public var challenge: String
    public var version: Int
    public var total: Int
    public var done: Int
    public var scored: Int
    public var rejected: Int
    public var failed: Int
    public var startedBy: String

    public init(
        job: Int64, challenge: String, version: Int, total: Int, done: Int, scored: Int, rejected: Int, failed: Int,
        startedBy: String
    ) {
        self.job = job
        self.challenge = challenge
        self.version = version
        self.total = total
        self.done = done
        self.scored = scored
        self.rejected = rejected
        self.failed = failed
        self.startedBy = startedBy
    }

    public var finished: Bool { done >= total }
}

/// When a job that met a fault of the judge is tried again: exponential (2, 4, 8 … s, at most
/// five minutes) with ±50% jitter, so that the workers a database outage stopped together do not
/// all come back in the same instant.
public enum Backoff {
    public static func delay(attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let base = min(300, pow(2, Double(max(1, attempt))))
        return base * (0.5 + random)
    }
}
