import Checks
import Foundation
import Intake
import Store

/// Scores a submission against one version of a challenge and turns the outcome into a score
/// row: `scored`, `rejected` (the file's fault, with its code) or `failed` (Podium's).
enum Evaluation {
    struct Result {
        var score: ScoreRecord
        var report: ScoreReport?
        var error: JudgeError?
    }

    /// Scores the stored file of a recorded submission (re-scoring); with `verify`, first checks
    /// that the file still hashes to its name.
    static func run(_ challenge: PublishedChallenge, version: Int, config: ChallengeConfig, submission: SubmissionRecord, verify: Bool = false) -> Result {
        let path = challenge.home.files(challenge.id).path(submission.fileSha256)
        guard FileManager.default.fileExists(atPath: path) else {
            var error = JudgeError(code: "missing_stored_file", message: "the stored file of submission \(submission.id!) (\(path)) is missing")
            error.isInternal = true  // the judge's side failed, not the student's file
            return result(.failure(error), submissionId: submission.id!, version: version)
        }
        if verify, (try? challenge.home.files(challenge.id).hash(path)) != submission.fileSha256 {
            var error = JudgeError(code: "corrupt_stored_file", message: "the stored file of submission \(submission.id!) (\(path)) no longer matches its SHA-256")
            error.isInternal = true
            return result(.failure(error), submissionId: submission.id!, version: version)
        }
        var outcome = score(challenge, version: version, config: config, path: path, bytes: nil)
        probing(&outcome, challenge, team: submission.team, before: submission.id)
        return result(outcome, submissionId: submission.id!, version: version)
    }

    /// Adds the `probing` finding to a scored predictions file: its fingerprint against those of
    /// the team's earlier scored submissions (all of them for a new submission).
    static func probing(_ outcome: inout Swift.Result<ScoreReport, JudgeError>, _ challenge: PublishedChallenge, team: String, before: Int64?) {
        guard case .success(var report) = outcome, report.run == nil, let probe = report.probe else { return }
        let history = ((try? challenge.database.probes(team: team, before: before)) ?? []).compactMap(ProbeSignature.init(data:))
        guard let finding = Probing.check(current: probe, history: history) else { return }
        report.checks.append(finding)
        outcome = .success(report)
    }

    /// Scores a file (or its bytes, already read) against a version.
    static func score(_ challenge: PublishedChallenge, version: Int, config: ChallengeConfig, path: String, bytes: ByteBuffer?) -> Swift.Result<ScoreReport, JudgeError> {
        let folder = challenge.home.versionFolder(challenge.id, version)
        return Swift.Result { () throws(JudgeError) in try Scorer.score(folder: folder, config: config, submission: path, bytes: bytes) }
    }

    /// The score row of an outcome.
    static func result(_ outcome: Swift.Result<ScoreReport, JudgeError>, submissionId: Int64, version: Int) -> Result {
        let now = timestamp(Date())
        switch outcome {
        case .success(let report):
            let score = ScoreRecord(
                submissionId: submissionId, version: version, status: "scored",
                publicPrimary: report.scores[.public]?.first?.value, privatePrimary: report.scores[.private]?.first?.value,
                report: report.json().serialized(), scoredAt: now)
            return Result(score: score, report: report, error: nil)
        case .failure(let error):
            let score = ScoreRecord(
                submissionId: submissionId, version: version, status: error.isInternal || error.failed ? "failed" : "rejected",
                publicPrimary: nil, privatePrimary: nil, report: error.json().serialized(), scoredAt: now)
            return Result(score: score, report: nil, error: error)
        }
    }

    /// Writes the result: the score row and the submission's status, in one transaction; then
    /// holds the submission off the public board if a check says so (`podium clear` releases).
    static func record(_ result: Result, in database: ChallengeDatabase) throws(JudgeError) {
        let e = result.error.map { (code: $0.code, message: $0.message, row: $0.row, column: $0.column) }
        try storeCall { () throws(StoreError) in try database.record(result.score, error: e, probe: result.report?.probe?.data) }
        // A re-score may hold a submission, never release one: only an instructor does that.
        if holds(result.report) {
            try storeCall { () throws(StoreError) in try database.hold(result.score.submissionId, true) }
        }
    }

    /// A perfect score or a blocking finding holds a submission until an instructor clears it.
    static func holds(_ report: ScoreReport?) -> Bool {
        report?.checks.contains { $0.name == "perfect_score" || $0.severity == .block } ?? false
    }
}
