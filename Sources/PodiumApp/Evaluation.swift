import Foundation
import PodiumChecks
import PodiumDomain
import PodiumTables

/// Evaluating one stored submission against one version of its challenge, and turning the
/// outcome into what is recorded: a score row `scored`, `rejected` (the file's fault, with its
/// code) or `failed` (a bundle that broke a limit, or the judge's fault), the probing
/// fingerprint, and whether a check holds the submission off the public board.
public struct Evaluation: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// An outcome and the record it makes.
    public struct Result: Sendable {
        public var record: EvaluationRecord
        public var report: ScoreReport?
        public var error: JudgeError?
    }

    /// Scores the stored file of a recorded submission; with `verify`, first checks that the
    /// file still hashes to its name (a re-score reads files stored long ago). `bytes`, when
    /// the caller still holds the accepted file's bytes, saves reading it again.
    public func run(
        _ challenge: PublishedChallenge, version: Int, config: ChallengeConfig, submission: SubmissionRecord,
        verify: Bool = false, bytes: InputBytes? = nil, prescored: Swift.Result<ScoreReport, JudgeError>? = nil
    ) -> Result {
        let blobs = services.blobs
        let path = blobs.path(of: submission.fileSha256, challenge: challenge.id)
        var outcome: Swift.Result<ScoreReport, JudgeError>
        if let prescored {
            outcome = prescored
        } else if bytes == nil, verify || !FileManager.default.fileExists(atPath: path),
            let failure = Self.storedFileProblem(
                blobs.verify(submission.fileSha256, challenge: challenge.id), submission, path)
        {
            outcome = .failure(failure)
        } else {
            let folder = challenge.folder(version)
            let evaluator = Evaluator(services)
            outcome = Swift.Result { () throws(JudgeError) in
                try evaluator.score(folder: folder, config: config, submission: path, bytes: bytes)
            }
        }
        probing(&outcome, challenge, team: submission.team, before: submission.id)
        return Self.result(outcome, submissionId: submission.id, version: version, at: services.clock.now())
    }

    /// A stored file that is missing or no longer matches its SHA-256: the judge's side failed.
    static func storedFileProblem(_ verified: Bool?, _ submission: SubmissionRecord, _ path: String) -> JudgeError? {
        var error: JudgeError
        switch verified {
        case .some(true): return nil
        case .none:
            error = JudgeError(
                code: .missingStoredFile, message: "the stored file of submission \(submission.id) (\(path)) is missing"
            )
        case .some(false):
            error = JudgeError(
                code: .corruptStoredFile,
                message: "the stored file of submission \(submission.id) (\(path)) no longer matches its SHA-256")
        }
        error.isInternal = true
        return error
    }

    /// Adds the `probing` finding to a scored predictions file: its fingerprint against those of
    /// the team's earlier scored submissions.
    func probing(
        _ outcome: inout Swift.Result<ScoreReport, JudgeError>, _ challenge: PublishedChallenge, team: String,
        before: Int64?
    ) {
        guard case .success(var report) = outcome, report.run == nil, let probe = report.probe else { return }
        let stored = (try? challenge.records.probes(team: team, before: before, limit: 19)) ?? []
        let history = stored.compactMap(ProbeSignature.init(bytes:))
        guard let finding = Probing.check(current: probe, history: history) else { return }
        report.checks.append(finding)
        outcome = .success(report)
    }

    /// The record of an outcome.
    static func result(
        _ outcome: Swift.Result<ScoreReport, JudgeError>, submissionId: Int64, version: Int, at now: Date
    )
        -> Result
    {
        let time = Instants.timestamp(now)
        switch outcome {
        case .success(let report):
            let score = ScoreRecord(
                submissionId: submissionId, version: version, status: .scored,
                publicPrimary: report.scores[.public]?.first?.value,
                privatePrimary: report.scores[.private]?.first?.value,
                report: report.storedJSON(), scoredAt: time)
            let record = EvaluationRecord(
                score: score, error: nil, probe: report.probe?.bytes, hold: holds(report))
            return Result(record: record, report: report, error: nil)
        case .failure(let error):
            let score = ScoreRecord(
                submissionId: submissionId, version: version,
                status: error.isInternal || error.failed ? .failed : .rejected,
                publicPrimary: nil, privatePrimary: nil, report: error.storedJSON(), scoredAt: time)
            let record = EvaluationRecord(score: score, error: error, probe: nil, hold: false)
            return Result(record: record, report: nil, error: error)
        }
    }

    /// A perfect score or a blocking finding holds a submission until an instructor clears it.
    static func holds(_ report: ScoreReport?) -> Bool {
        report?.checks.contains { $0.name == .perfectScore || $0.severity == .block } ?? false
    }

    /// Records in the audit trail a submission this evaluation put on hold (it was not held
    /// before and is now: a hold an instructor cleared stays cleared and is not recorded).
    static func auditHold(
        _ challenge: PublishedChallenge, _ before: SubmissionRecord, _ result: Result, _ services: Services
    ) {
        guard result.record.hold, !before.held,
            let after = try? challenge.records.submission(before.id), after.held
        else { return }
        let reasons = (result.report?.checks ?? []).filter { $0.name == .perfectScore || $0.severity == .block }
            .map { "\($0.name.rawValue): \($0.message)" }
        AuditTrail.record(
            .hold, challenge: challenge.id, subject: "#\(before.id)",
            detail: "held off the public board (\(before.participant), version \(result.record.score.version)): "
                + reasons.joined(separator: "; "),
            services: services, actor: .podium)
    }
}
