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

    /// Reads, aligns and scores `submission`: a predictions file, or — when the challenge accepts
    /// bundles — a model bundle, which is run in the sandbox first.
    public static func score(
        folder: String, config: ChallengeConfig, submission: String, bytes: ByteBuffer? = nil, options: Options = Options()
    ) throws(JudgeError) -> ScoreReport {
        // Only a regular file is read: a FIFO or a device would block (or never end).
        let archive: Bool
        if let bytes {
            archive = SubmissionFile.isArchive(bytes.bytes)
        } else {
            do { archive = try SubmissionFile.isArchive(path: submission) } catch { throw JudgeError(error) }
        }
        if config.submissions.kinds.contains("bundle"), archive,
            SubmissionFile.hasRootEntry(submission, named: "bundle.yaml")
        {
            let work = NSTemporaryDirectory() + "podium-bundle-" + UUID().uuidString
            try? FileManager.default.createDirectory(atPath: work + "/bundle", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            if let manifest = try BundleRunner.unpack(submission, into: work + "/bundle") {
                let input = (folder as NSString).appendingPathComponent("test.csv")
                guard FileManager.default.fileExists(atPath: input) else {
                    throw JudgeError(code: "missing_file", message: "running a bundle needs the challenge's test.csv", file: "test.csv")
                }
                // A FIFO given to the bundle would stall it until the wall limit, blamed on the student.
                do { try RegularFile.require(input) } catch { throw JudgeError(error, file: "test.csv") }
                let (output, run) = try BundleRunner.run(manifest, bundle: work + "/bundle", input: input, config: config, work: work)
                var report = try scorePredictions(folder: folder, config: config, submission: output, bytes: nil, options: options)
                report.run = run
                report.checks += BundleChecks.run(bundle: work + "/bundle", manifest: manifest, folder: folder, config: config)
                return report
            }
            guard config.submissions.kinds.contains("predictions") else {
                throw JudgeError(code: "not_a_submission", message: "this challenge takes model bundles: an archive with bundle.yaml at its root")
            }
        }
        return try scorePredictions(folder: folder, config: config, submission: submission, bytes: bytes, options: options)
    }

    static func scorePredictions(
        folder: String, config: ChallengeConfig, submission: String, bytes: ByteBuffer?, options: Options
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
