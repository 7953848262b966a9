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
        folder: String, config: ChallengeConfig, submission: String, bytes: ByteBuffer? = nil, options: Options = Options()
    ) throws(JudgeError) -> ScoreReport {
        var names = config.metricNames
        for name in options.extraMetrics where !names.contains(name) {
            try config.checkMetric(name, line: nil, key: "--metric")
            names.append(name)
        }
        let metrics = names.map { Metric(name: $0)! }
        let solutionPath = (folder as NSString).appendingPathComponent("solution.csv")

        var files = try OpenFiles.open(solution: solutionPath, submission: submission, bytes: bytes)
        Trace.mark("files opened")
        var report = ScoreReport(
            challenge: config.id, primary: config.primary, higherIsBetter: config.primaryMetric.higherIsBetter,
            metrics: names, scores: [:])
        switch config.task {
        case .ranking:
            try RankingScoring.score(config, metrics, &files, options, &report)
        default:
            try LabelScoring.score(config, metrics, &files, options, &report)
        }
        let primaryValues = Dictionary(uniqueKeysWithValues: Split.allCases.map { s in (s, report.scores[s]![0].value) })
        if let finding = PerfectScore.check(metric: config.primaryMetric, name: config.primary, values: primaryValues) {
            report.checks.append(finding)
        }
        return report
    }
}
