import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumParallel
import PodiumTables

/// Scoring of id-keyed challenges: binary, multiclass and regression.
enum LabelScoring {
    static func score(
        _ config: ChallengeConfig, _ metrics: [Metric], _ files: inout OpenFiles, _ options: Scorer.Options,
        _ report: inout ScoreReport
    ) throws(JudgeError) {
        let (splits, probe) = try align(config, &files, options.settings)
        report.probe = probe
        Trace.mark("submission parsed and aligned")
        let parallelism = options.settings.parallelism
        let outcomes = concurrentMap(2, parallelism) { k in
            splits[k].evaluate(metrics, config: config, parallelism: parallelism)
        }
        for (k, split) in Split.allCases.enumerated() {
            let data = splits[k]
            report.rows[split] = data.count
            report.scores[split] = outcomes[k]
            if options.confidenceInterval {
                let primary = metrics[0]
                var intervals = report.intervals ?? [:]
                intervals[split] = Bootstrap.interval(
                    count: data.count, resamples: options.resamples, parallelism: options.settings.parallelism
                ) { picks in
                    data.resampled(picks).evaluate([primary], config: config, parallelism: .serial)[0].value
                }
                report.intervals = intervals
            }
        }
        Trace.mark("metrics")
    }

    /// Reads both files, aligns them, and returns each split's rows as contiguous columns.
    /// The files are released before the metrics run.
    static func align(_ config: ChallengeConfig, _ files: inout OpenFiles, _ settings: ScoringSettings)
        throws(JudgeError) -> ([SplitData], ProbeSignature?)
    {
        let kind: TargetKind
        switch config.task {
        case .binary: kind = .binary
        case .regression: kind = .number
        default: kind = .category(config.classes)
        }
        let solution: Solution
        let key =
            "\(files.solutionPath)|\(config.columns.id)|\(config.columns.target)|\(config.task.rawValue)|\(config.classes ?? [])"
        if let cached = settings.solutions?.get(key) {
            solution = cached
        } else {
            solution = try files.readSolution { bytes throws(IntakeError) in
                try Solution.read(
                    bytes, id: config.columns.id, target: config.columns.target, kind: kind,
                    reading: Reading(parallelism: settings.parallelism))
            }
            settings.solutions?.put(key, solution)
        }
        Trace.mark("solution parsed")
        let spec: PredictionSpec =
            config.task == .multiclass
            ? .multiclass(column: config.columns.prediction, classes: solution.classes)
            : .number(column: config.columns.prediction)
        let predictions = try files.readSubmission { bytes throws(IntakeError) in
            try AlignedPredictions.read(
                bytes, solution: solution, id: config.columns.id, spec: spec,
                reading: Reading(parallelism: settings.parallelism))
        }
        Trace.mark("submission read")
        files.release()
        let task = config.task
        // The two splits gathered, and the fingerprint, side by side (no file is held any more:
        // a local reference to the mapped submission would keep its pages until the return).
        enum Part {
            case split(SplitData)
            case probe(ProbeSignature?)
        }
        let parts = concurrentMap(3, settings.parallelism) { k -> Part in
            if k < 2 { return .split(SplitData(task, solution, predictions, Split.allCases[k])) }
            return .probe(task == .binary || task == .regression ? ProbeSignature(values: predictions.numbers) : nil)
        }
        var splits: [SplitData] = []
        var probe: ProbeSignature? = nil
        for part in parts {
            switch part {
            case .split(let data): splits.append(data)
            case .probe(let signature): probe = signature
            }
        }
        return (splits, probe)
    }
}

/// One split's rows, gathered into contiguous columns in solution order.
struct SplitData: Sendable {
    var task: TaskKind
    var classes = 0
    var binary: [UInt8] = []
    var truth: [Double] = []
    var truthClass: [Int32] = []
    var predicted: [Double] = []
    var predictedClass: [Int32] = []
    var probabilities: [Double]? = nil

    var count: Int { max(binary.count, truth.count, truthClass.count) }

    init(task: TaskKind) { self.task = task }

    init(_ task: TaskKind, _ solution: Solution, _ predictions: AlignedPredictions, _ split: Split) {
        self.task = task
        let want: Usage = split == .public ? .public : .private
        let n = solution.usage.reduce(0) { $0 + ($1 == want ? 1 : 0) }
        func gather<T>(_ source: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: n) { out, count in
                solution.usage.withUnsafeBufferPointer { usage in
                    source.withUnsafeBufferPointer { src in
                        var j = 0
                        for i in 0..<usage.count where usage[i] == want {
                            out.initializeElement(at: j, to: src[i])
                            j &+= 1
                        }
                    }
                }
                count = n
            }
        }
        switch task {
        case .binary:
            // One pass for both columns.
            var labels = [UInt8](repeating: 0, count: n)
            var scores = [Double](unsafeUninitializedCapacity: n) { _, count in count = n }
            labels.withUnsafeMutableBufferPointer { l in
                scores.withUnsafeMutableBufferPointer { s in
                    solution.usage.withUnsafeBufferPointer { usage in
                        solution.binary.withUnsafeBufferPointer { truth in
                            predictions.numbers.withUnsafeBufferPointer { values in
                                var j = 0
                                for i in 0..<usage.count where usage[i] == want {
                                    l[j] = truth[i]
                                    s[j] = values[i]
                                    j &+= 1
                                }
                            }
                        }
                    }
                }
            }
            binary = labels
            predicted = scores
        case .regression:
            truth = gather(solution.numbers)
            predicted = gather(predictions.numbers)
        case .multiclass:
            classes = solution.classes.count
            truthClass = gather(solution.classIndex)
            predictedClass = gather(predictions.labels)
            if let all = predictions.probabilities {
                let k = classes
                var p = [Double](repeating: 0, count: n * k)
                var j = 0
                for i in 0..<solution.usage.count where solution.usage[i] == want {
                    for c in 0..<k { p[j * k + c] = all[i * k + c] }
                    j += 1
                }
                probabilities = p
            }
        case .ranking:
            break
        }
    }

    /// The rows at `picks` (a bootstrap resample).
    func resampled(_ picks: UnsafeBufferPointer<Int32>) -> SplitData {
        var out = SplitData(task: task)
        out.classes = classes
        out.binary = binary.isEmpty ? [] : picks.map { binary[Int($0)] }
        out.truth = truth.isEmpty ? [] : picks.map { truth[Int($0)] }
        out.truthClass = truthClass.isEmpty ? [] : picks.map { truthClass[Int($0)] }
        out.predicted = predicted.isEmpty ? [] : picks.map { predicted[Int($0)] }
        out.predictedClass = predictedClass.isEmpty ? [] : picks.map { predictedClass[Int($0)] }
        if let probabilities {
            var p = [Double](repeating: 0, count: picks.count * classes)
            for (j, r) in picks.enumerated() {
                for c in 0..<classes { p[j * classes + c] = probabilities[Int(r) * classes + c] }
            }
            out.probabilities = p
        }
        return out
    }

    func evaluate(_ metrics: [Metric], config: ChallengeConfig, parallelism: Parallelism) -> [Outcome] {
        switch task {
        case .binary:
            return binary.withUnsafeBufferPointer { l in
                predicted.withUnsafeBufferPointer { s in
                    BinaryMetrics.evaluate(
                        metrics, labels: l, scores: s, threshold: config.threshold, parallelism: parallelism)
                }
            }
        case .regression:
            return truth.withUnsafeBufferPointer { t in
                predicted.withUnsafeBufferPointer { v in RegressionMetrics.evaluate(metrics, truth: t, predictions: v) }
            }
        case .multiclass:
            return truthClass.withUnsafeBufferPointer { t in
                predictedClass.withUnsafeBufferPointer { pr in
                    if let probabilities {
                        return probabilities.withUnsafeBufferPointer { pb in
                            MulticlassMetrics.evaluate(
                                metrics, truth: t, predicted: pr, probabilities: pb, classes: classes,
                                parallelism: parallelism)
                        }
                    }
                    return MulticlassMetrics.evaluate(
                        metrics, truth: t, predicted: pr, probabilities: nil, classes: classes, parallelism: parallelism
                    )
                }
            }
        case .ranking:
            return metrics.map { _ in .undefined("not an id-keyed task") }
        }
    }
}

/// Parsed answer keys shared by the evaluations that hold this cache (`podium rescore`
/// scores thousands of submissions against one solution). The composition root owns one per
/// process, or none.
public final class SolutionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Solution] = [:]

    public init() {}

    func get(_ key: String) -> Solution? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: String, _ solution: Solution) {
        lock.lock()
        defer { lock.unlock() }
        entries[key] = solution
    }
}

/// How one evaluation scores: the cores it may use and the solution cache it may share.
public struct ScoringSettings: Sendable {
    public var parallelism: Parallelism
    public var solutions: SolutionCache?

    public init(parallelism: Parallelism = .allCores, solutions: SolutionCache? = nil) {
        self.parallelism = parallelism
        self.solutions = solutions
    }
}
