import PodiumParallel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary-task metrics of one split: labels are 0/1, scores are probabilities, scores or
/// hard labels for class 1.
///
/// Label metrics count a row positive iff `score >= threshold`; ROC AUC and average
/// precision use the scores as they are. Definitions follow scikit-learn.
public enum BinaryMetrics {
    /// Computes `metrics` on one split.
    ///
    /// - Parameters:
    ///   - labels: the true labels, 0 or 1.
    ///   - scores: the submitted scores, finite.
    ///   - threshold: the cut for label metrics.
    ///   - parallelism: whether large inputs may use every core.
    /// - Returns: one outcome per metric, in order.
    public static func evaluate(
        _ metrics: [Metric], labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>,
        threshold: Double, parallelism: Parallelism = .allCores
    ) -> [Outcome] {
        let n = labels.count
        guard n > 0 else { return metrics.map { _ in .noRows } }
        var tp = 0
        var fp = 0
        var fn = 0
        var outside = false
        var logSum = 0.0
        let needsLogloss = metrics.contains(.logloss)
        for i in 0..<n {
            let y = labels[i] != 0
            let s = scores[i]
            let hit = s >= threshold
            tp &+= (y && hit) ? 1 : 0
            fp &+= (!y && hit) ? 1 : 0
            fn &+= (y && !hit) ? 1 : 0
        }
        if needsLogloss {
            for i in 0..<n {
                let y = labels[i] != 0
                let s = scores[i]
                if s < 0 || s > 1 { outside = true }
                let p = min(max(s, 1e-15), 1 - 1e-15)
                logSum += y ? log(p) : log(1 - p)
            }
        }
        let nPos = tp + fn
        var counts = ClassCounts(classes: 2)
        counts.truePositives = [n - tp - fp - fn, tp]
        counts.predicted = [n - tp - fp, tp + fp]
        counts.support = [n - nPos, nPos]

        var order: ScoreOrder? = nil
        if metrics.contains(where: { $0 == .auc || $0 == .averagePrecision }) {
            order = ScoreOrder(labels: labels, scores: scores, positives: nPos, parallelism: parallelism)
        }
        return metrics.map { metric in
            switch metric {
            case .accuracy: return .value(counts.accuracy)
            case .precision: return .value(counts.score(.precision, of: 1))
            case .recall: return .value(counts.score(.recall, of: 1))
            case .f1: return .value(counts.score(.f1, of: 1))
            case .precisionAveraged(let a): return .value(counts.averaged(.precision, a))
            case .recallAveraged(let a): return .value(counts.averaged(.recall, a))
            case .f1Averaged(let a): return .value(counts.averaged(.f1, a))
            case .auc:
                return order!.rocAUC().map(Outcome.value) ?? .undefined("only one class present")
            case .averagePrecision:
                return order!.averagePrecision().map(Outcome.value) ?? .undefined("no positive label")
            case .logloss:
                return outside ? .undefined("a score lies outside [0, 1]") : .value(-logSum / Double(n))
            default:
                return .undefined("not a binary metric")
            }
        }
    }
}
