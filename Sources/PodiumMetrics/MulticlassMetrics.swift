import PodiumParallel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiclass metrics of one split.
///
/// Truth and predicted labels are class indices into the declared classes. Probabilities,
/// when the submission gave them, are a row-major `rows × classes` matrix; label submissions
/// are scored for AUC and log loss as one-hot rows.
public enum MulticlassMetrics {
    /// Computes `metrics` on one split.
    ///
    /// - Parameters:
    ///   - truth: the true class of each row.
    ///   - predicted: the predicted class of each row (the argmax for probability rows).
    ///   - probabilities: `nil` for label submissions, else `truth.count × classes` values.
    ///   - classes: the number of declared classes.
    /// - Returns: one outcome per metric, in order.
    public static func evaluate(
        _ metrics: [Metric], truth: UnsafeBufferPointer<Int32>, predicted: UnsafeBufferPointer<Int32>,
        probabilities: UnsafeBufferPointer<Double>?, classes: Int, parallelism: Parallelism = .allCores
    ) -> [Outcome] {
        let n = truth.count
        guard n > 0 else { return metrics.map { _ in .noRows } }
        let counts = ClassCounts(truth: truth, predicted: predicted, classes: classes)
        let probability: (Int, Int) -> Double
        if let probabilities {
            probability = { row, c in probabilities[row &* classes &+ c] }
        } else {
            probability = { row, c in predicted[row] == Int32(c) ? 1 : 0 }
        }
        var perClassAUC: [Double?] = []
        if metrics.contains(where: { $0 == .auc || $0 == .aucWeighted }) {
            perClassAUC = (0..<classes).map { c -> Double? in
                let support = counts.support[c]
                guard support > 0, support < n else { return nil }
                let order = ScoreOrder(
                    truth: truth, scores: { probability($0, c) }, positiveClass: Int32(c), positives: support,
                    parallelism: parallelism)
                return order.rocAUC()
            }
        }
        return metrics.map { metric in
            switch metric {
            case .accuracy: return .value(counts.accuracy)
            case .precisionAveraged(let a): return .value(counts.averaged(.precision, a))
            case .recallAveraged(let a): return .value(counts.averaged(.recall, a))
            case .f1Averaged(let a): return .value(counts.averaged(.f1, a))
            case .auc, .aucWeighted:
                let scored = (0..<classes).compactMap { c in perClassAUC[c].map { (c, $0) } }
                guard !scored.isEmpty else {
                    return .undefined("no class has both positives and negatives")
                }
                if metric == .auc {
                    return .value(scored.reduce(0.0) { $0 + $1.1 } / Double(scored.count))
                }
                let weight = scored.reduce(0) { $0 + counts.support[$1.0] }
                return .value(scored.reduce(0.0) { $0 + $1.1 * Double(counts.support[$1.0]) } / Double(weight))
            case .logloss:
                return .value(logLoss(truth: truth, classes: classes, probability: probability))
            default:
                return .undefined("not a multiclass metric")
            }
        }
    }

    /// Kaggle's multiclass log loss: clip to [1e-15, 1 − 1e-15], divide each row by its sum.
    static func logLoss(truth: UnsafeBufferPointer<Int32>, classes: Int, probability: (Int, Int) -> Double) -> Double {
        var total = 0.0
        for row in 0..<truth.count {
            var sum = 0.0
            for c in 0..<classes {
                sum += min(max(probability(row, c), 1e-15), 1 - 1e-15)
            }
            let p = min(max(probability(row, Int(truth[row])), 1e-15), 1 - 1e-15)
            total += log(p / sum)
        }
        return -total / Double(truth.count)
    }
}
