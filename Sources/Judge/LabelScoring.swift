import Intake
import Metrics

/// Scoring of id-keyed challenges: binary, multiclass and regression.
enum LabelScoring {
    static func score(
        _ config: ChallengeConfig, _ metrics: [Metric], _ solutionBytes: ByteBuffer, _ submissionBytes: ByteBuffer,
        _ options: Scorer.Options, _ report: inout ScoreReport
    ) throws(JudgeError) {
        let kind: TargetKind
        switch config.task {
        case .binary: kind = .binary
        case .regression: kind = .number
        default: kind = .category(config.classes)
        }
        let solution: Solution
        do {
            solution = try Solution.read(solutionBytes, id: config.columns.id, target: config.columns.target, kind: kind)
        } catch {
            throw JudgeError(error, file: "solution.csv")
        }
        let spec: PredictionSpec =
            config.task == .multiclass
            ? .multiclass(column: config.columns.prediction, classes: solution.classes)
            : .number(column: config.columns.prediction)
        let predictions: AlignedPredictions
        do {
            predictions = try AlignedPredictions.read(submissionBytes, solution: solution, id: config.columns.id, spec: spec)
        } catch {
            throw JudgeError(error)
        }
        let splits = SplitRows(solution.usage)
        for split in Split.allCases { report.rows[split] = splits.rows(split).count }
        nonisolated(unsafe) var results: [[Outcome]] = [[], []]
        nonisolated(unsafe) var intervals: [Interval?] = [nil, nil]
        let primary = metrics[0]
        forEachConcurrently(2) { s in
            let rows = splits.rows(Split.allCases[s])
            let scorer = SplitScorer(config: config, solution: solution, predictions: predictions, rows: rows)
            results[s] = scorer.evaluate(metrics)
            if options.confidenceInterval {
                intervals[s] = Bootstrap.interval(count: rows.count, resamples: options.resamples) { picks in
                    let resampled = picks.map { rows[Int($0)] }
                    return SplitScorer(config: config, solution: solution, predictions: predictions, rows: resampled)
                        .evaluate([primary], parallel: false)[0].value
                }
            }
        }
        report.scores = [.public: results[0], .private: results[1]]
        if options.confidenceInterval { report.intervals = [.public: intervals[0], .private: intervals[1]] }
    }
}

/// The solution rows of each split, in solution order.
struct SplitRows: Sendable {
    var publicRows: [Int32] = []
    var privateRows: [Int32] = []

    init(_ usage: [Usage]) {
        for (i, u) in usage.enumerated() {
            switch u {
            case .public: publicRows.append(Int32(i))
            case .private: privateRows.append(Int32(i))
            case .ignored: break
            }
        }
    }

    func rows(_ split: Split) -> [Int32] { split == .public ? publicRows : privateRows }
}

/// Gathers one split's rows into contiguous buffers and runs the metric kernels on them.
struct SplitScorer {
    let config: ChallengeConfig
    let solution: Solution
    let predictions: AlignedPredictions
    let rows: [Int32]

    func evaluate(_ metrics: [Metric], parallel: Bool = true) -> [Outcome] {
        switch config.task {
        case .binary:
            let labels = rows.map { UInt8(solution.numbers[Int($0)]) }
            let scores = rows.map { predictions.numbers[Int($0)] }
            return labels.withUnsafeBufferPointer { l in
                scores.withUnsafeBufferPointer { s in
                    BinaryMetrics.evaluate(metrics, labels: l, scores: s, threshold: config.threshold, parallel: parallel)
                }
            }
        case .regression:
            let truth = rows.map { solution.numbers[Int($0)] }
            let values = rows.map { predictions.numbers[Int($0)] }
            return truth.withUnsafeBufferPointer { t in
                values.withUnsafeBufferPointer { v in RegressionMetrics.evaluate(metrics, truth: t, predictions: v) }
            }
        case .multiclass:
            let k = solution.classes.count
            let truth = rows.map { solution.classIndex[Int($0)] }
            let predicted = rows.map { predictions.labels[Int($0)] }
            var probabilities: [Double]? = nil
            if let all = predictions.probabilities {
                var p = [Double](repeating: 0, count: rows.count * k)
                for (j, r) in rows.enumerated() {
                    for c in 0..<k { p[j * k + c] = all[Int(r) * k + c] }
                }
                probabilities = p
            }
            return truth.withUnsafeBufferPointer { t in
                predicted.withUnsafeBufferPointer { pr in
                    if let probabilities {
                        return probabilities.withUnsafeBufferPointer { pb in
                            MulticlassMetrics.evaluate(metrics, truth: t, predicted: pr, probabilities: pb, classes: k, parallel: parallel)
                        }
                    }
                    return MulticlassMetrics.evaluate(metrics, truth: t, predicted: pr, probabilities: nil, classes: k, parallel: parallel)
                }
            }
        case .ranking:
            return metrics.map { _ in .undefined("not an id-keyed task") }
        }
    }
}
