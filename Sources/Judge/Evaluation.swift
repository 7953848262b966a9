import Foundation
import Store

/// Scores a stored submission against one version of a challenge and turns the outcome into
/// a score row: `scored`, `rejected` (the file's fault, with its code) or `failed` (Podium's).
enum Evaluation {
    struct Result {
        var score: ScoreRecord
        var report: ScoreReport?
        var error: JudgeError?
    }

    static func run(_ challenge: PublishedChallenge, version: Int, config: ChallengeConfig, submission: SubmissionRecord, verify: Bool = false) -> Result {
        let folder = challenge.home.versionFolder(challenge.id, version)
        let path = challenge.home.files(challenge.id).path(submission.fileSha256)
        let now = timestamp(Date())
        guard FileManager.default.fileExists(atPath: path) else {
            let error = JudgeError(code: "missing_stored_file", message: "the stored file of submission \(submission.id!) (\(path)) is missing")
            return failure(error, submission, version, now, status: "failed")
        }
        if verify, (try? challenge.home.files(challenge.id).hash(path)) != submission.fileSha256 {
            let error = JudgeError(code: "corrupt_stored_file", message: "the stored file of submission \(submission.id!) (\(path)) no longer matches its SHA-256")
            return failure(error, submission, version, now, status: "failed")
        }
        do {
            let report = try Scorer.score(folder: folder, config: config, submission: path)
            let score = ScoreRecord(
                submissionId: submission.id!, version: version, status: "scored",
                publicPrimary: report.scores[.public]?.first?.value, privatePrimary: report.scores[.private]?.first?.value,
                report: report.json().serialized(), scoredAt: now)
            return Result(score: score, report: report, error: nil)
        } catch {
            return failure(error, submission, version, now, status: error.isInternal ? "failed" : "rejected")
        }
    }

    static func failure(_ error: JudgeError, _ submission: SubmissionRecord, _ version: Int, _ now: String, status: String) -> Result {
        let score = ScoreRecord(
            submissionId: submission.id!, version: version, status: status, publicPrimary: nil, privatePrimary: nil,
            report: error.json().serialized(), scoredAt: now)
        return Result(score: score, report: nil, error: error)
    }

    /// Writes the result: the score row and the submission's status, in one transaction.
    static func record(_ result: Result, in database: ChallengeDatabase) throws(JudgeError) {
        let e = result.error.map { (code: $0.code, message: $0.message, row: $0.row, column: $0.column) }
        try storeCall { () throws(StoreError) in try database.record(result.score, error: e) }
    }
}
