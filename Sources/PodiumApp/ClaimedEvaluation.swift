import Foundation
import PodiumDomain

/// Evaluating what a worker claimed from the shared queue: a fault of the judge (the sandbox,
/// the store, a stored file) before the last attempt is not recorded — the job goes back to
/// the queue with backoff —; on the last attempt it ends `failed` with `judge_error`; a
/// student's bad file is an outcome and recorded at once.
public enum ClaimedEvaluation {
    public enum Outcome: Sendable {
        /// Recorded; the submission's row after it.
        case recorded(SubmissionRecord)
        /// The lease was lost before the commit (another worker has the job): nothing written.
        case lost
        /// The judge failed; try again later.
        case judgeFault(JudgeError)
    }

    public static func run(_ claimed: ClaimedJob, services: Services, lease: Lease) throws(JudgeError) -> Outcome {
        let job = claimed.job
        let challenge = try services.open(job.challenge)
        guard let submission = try challenge.records.submission(job.submission) else {
            throw JudgeError(code: .unknownSubmission, message: "there is no submission \(job.submission)")
        }
        let config = try challenge.config(of: submission.version)
        let result = Evaluation(services).run(
            challenge, version: submission.version, config: config, submission: submission)
        var record = result.record
        if let error = result.error, error.isInternal {
            guard claimed.attempts >= Lease.maximumAttempts else { return .judgeFault(error) }
            record = lastAttempt(record, error)
        }
        record.leaseOwner = lease.owner
        guard try challenge.records.record(record) else { return .lost }
        Evaluation.auditHold(challenge, submission, result, services)
        guard let stored = try challenge.records.submission(submission.id) else { return .lost }
        return .recorded(stored)
    }

    /// The record of the last failed attempt: `judge_error`, naming the last fault's code.
    static func lastAttempt(_ record: EvaluationRecord, _ error: JudgeError) -> EvaluationRecord {
        var out = record
        var judge = JudgeError(
            code: .judgeError,
            message: "the judge failed to evaluate this submission \(Lease.maximumAttempts) times (last: "
                + "\(error.code.rawValue)); the instructor has been told (it can be re-scored)")
        judge.isInternal = false
        out.error = judge
        out.score.status = .failed
        out.score.report = judge.storedJSON()
        return out
    }

    /// One item of a shared re-score: evaluated against the job's version with the stored file
    /// verified; `nil` outcome: a fault of the judge before the last attempt.
    public static func rescore(_ item: RescoreItem, services: Services) throws(JudgeError) -> SubmissionStatus? {
        let challenge = try services.open(item.challenge)
        guard let submission = try challenge.records.submission(item.submission) else {
            throw JudgeError(code: .unknownSubmission, message: "there is no submission \(item.submission)")
        }
        let config = try challenge.config(of: item.version)
        let result = Evaluation(services).run(
            challenge, version: item.version, config: config, submission: submission, verify: true)
        var record = result.record
        if let error = result.error, error.isInternal {
            guard item.attempts >= Lease.maximumAttempts else { return nil }
            record = lastAttempt(record, error)
        }
        try challenge.records.record(record)
        Evaluation.auditHold(challenge, submission, result, services)
        return record.score.status
    }
}
