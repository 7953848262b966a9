import Checks
import Foundation
import Intake
import Metrics

/// Scores a predictions file against a challenge folder's `solution.csv` (DESIGN §4, §5).
public enum Scorer {
    public struct Options: Sendable {
        /// Metrics to report besides the configured ones.
        public var extraMetrics: [String] = []
        /// Add a 95% bootstrap interval of the primary metric.
        public var confidenceInterval = false
        public var resamples = 1000
        public init() {}
    }

    /// Reads, aligns and scores `submission`.
    public static func score(
        folder: String, config: ChallengeConfig, submission: String, options: Options = Options()
    ) throws(JudgeError) -> ScoreReport {
        var names = config.metricNames
        for name in options.extraMetrics where !names.contains(name) {
            try config.checkMetric(name, line: nil, key: "--metric")
            names.append(name)
        }
        let metrics = names.map { Metric(name: $0)! }
        let solutionPath = (folder as NSString).appendingPathComponent("solution.csv")

        // Read the answer key and open the submission side by side.
        nonisolated(unsafe) var solutionBuffer: Result<ByteBuffer, IntakeError>? = nil
        nonisolated(unsafe) var submissionBuffer: Result<ByteBuffer, IntakeError>? = nil
        forEachConcurrently(2) { k in
            if k == 0 {
                solutionBuffer = Result { () throws(IntakeError) in try ByteBuffer(mapping: solutionPath) }
            } else {
                submissionBuffer = Result { () throws(IntakeError) in try SubmissionFile.open(submission) }
            }
        }
        let solutionBytes: ByteBuffer
        switch solutionBuffer! {
        case .success(let b): solutionBytes = b
        case .failure(let e): throw JudgeError(e, file: "solution.csv")
        }
        let submissionBytes: ByteBuffer
        switch submissionBuffer! {
        case .success(let b): submissionBytes = b
        case .failure(let e): throw JudgeError(e)
        }

        var report = ScoreReport(
            challenge: config.id, primary: config.primary, higherIsBetter: config.primaryMetric.higherIsBetter,
            metrics: names, scores: [:])
        switch config.task {
        case .ranking:
            try RankingScoring.score(config, metrics, solutionBytes, submissionBytes, options, &report)
        default:
            try LabelScoring.score(config, metrics, solutionBytes, submissionBytes, options, &report)
        }
        let primaryValues = Dictionary(uniqueKeysWithValues: Split.allCases.map { s in (s, report.scores[s]![0].value) })
        if let finding = PerfectScore.check(metric: config.primaryMetric, name: config.primary, values: primaryValues) {
            report.checks.append(finding)
        }
        return report
    }
}
