import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain
import PodiumRendering

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a predictions file without recording it.",
        discussion:
            "The challenge folder needs challenge.yaml and solution.csv. Exit status 1 when the file is rejected."
            + "\n\nExample:\n  podium score --challenge datasets/flight-cancellations datasets/flight-cancellations/baseline.csv --ci"
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The challenge folder.")
    var challenge: String

    @Argument(help: "The predictions file (CSV, or .gz/.zip/.tar.*/.xz/.zst holding one CSV).")
    var file: String

    @Option(name: .customLong("metric"), help: "Also report this metric (repeatable).")
    var metrics: [String] = []

    @Flag(
        name: .customLong("ci"),
        help: "Add a 95% bootstrap interval of the primary metric (1,000 resamples, fixed seed).")
    var confidenceInterval = false

    func run() throws {
        Trace.start()
        var options = Scorer.Options()
        options.extraMetrics = metrics
        options.confidenceInterval = confidenceInterval
        do {
            let config = try ChallengeConfig.load(folder: challenge)
            let evaluator = Evaluator(try Root.services(global))
            let report = try evaluator.score(folder: challenge, config: config, submission: file, options: options)
            print(global.json ? PodiumJSON.encode(ScoreReportBody(report)) : report.text())
        } catch {
            throw rejection(error, json: global.json)
        }
    }
}
