import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables

/// Scores a predictions file against a challenge folder's `solution.csv` (DESIGN §4, §5).
public enum Scorer {
    public struct Options: Sendable {
        /// Metrics to report besides the configured ones.
        public var extraMetrics: [String] = []
        /// Add a 95% bootstrap interval of the primary metric.
        public var confidenceInterval = false
        public var resamples = 1000
        /// The cores and the solution cache this scoring may use.
        public var settings = ScoringSettings()
        public init() {}
    }

    /// Reads, aligns and scores a predictions file (or its bytes, already read) against the
    /// challenge folder's `solution.csv`. A model bundle is run first by the application layer
    /// (`Evaluator`), which then scores its predictions here.
    public static func score(
        folder: String, config: ChallengeConfig, predictions submission: String, bytes: InputBytes? = nil,
        options: Options = Options()
    ) throws(JudgeError) -> ScoreReport {
        try scorePredictions(folder: folder, config: config, submission: submission, bytes: bytes, options: options)
    }

    static func scorePredictions(
        folder: String, config: ChallengeConfig, submission: String, bytes: InputBytes?, options: Options
    ) throws(JudgeError) -> ScoreReport {
        var names = config.metricNames
        for name in options.extraMetrics where !names.contains(name) {
            try config.checkMetric(name, line: nil, key: "metric")
            names.append(name)
        }
        let metrics = try names.map { name throws(JudgeError) -> Metric in
            guard let metric = Metric(name: name) else {
                throw JudgeError(code: .invalidChallenge, message: "unknown metric '\(name)'")
            }
            return metric
        }
        let solutionPath = (folder as NSString).appendingPathComponent("solution.csv")

        var files = try OpenFiles.open(
            solution: solutionPath, submission: submission, bytes: bytes, parallelism: options.settings.parallelism)
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
        let primaryValues = Dictionary(
            uniqueKeysWithValues: Split.allCases.map { s in (s, report.scores[s]?.first?.value) })
        if let finding = PerfectScore.check(metric: config.primaryMetric, name: config.primary, values: primaryValues) {
            report.checks.append(finding)
        }
        return report
    }
}
