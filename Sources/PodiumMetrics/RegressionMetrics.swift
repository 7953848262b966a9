/// Regression metrics of one split, as scikit-learn defines them.
public enum RegressionMetrics {
    /// Computes `metrics` on one split.
    ///
    /// `r2` follows scikit-learn's `force_finite`: constant truth scores 1.0 when predicted
    /// perfectly and 0.0 otherwise; with fewer than two rows it is undefined.
    public static func evaluate(
        _ metrics: [Metric], truth: UnsafeBufferPointer<Double>, predictions: UnsafeBufferPointer<Double>
    ) -> [Outcome] {
        let n = truth.count
        guard n > 0 else { return metrics.map { _ in .noRows } }
        var squared = 0.0
        var absolute = 0.0
        var sum = 0.0
        for i in 0..<n {
            let e = truth[i] - predictions[i]
            squared += e * e
            absolute += abs(e)
            sum += truth[i]
        }
        let mean = sum / Double(n)
        var total = 0.0
        if metrics.contains(.r2) {
            for i in 0..<n {
                let d = truth[i] - mean
                total += d * d
            }
        }
        let mse = squared / Double(n)
        return metrics.map { metric in
            switch metric {
            case .mse: return .value(mse)
            case .rmse: return .value(mse.squareRoot())
            case .mae: return .value(absolute / Double(n))
            case .r2:
                guard n >= 2 else { return .undefined("r2 needs at least two rows") }
                if total == 0 { return .value(squared == 0 ? 1 : 0) }
                return .value(1 - squared / total)
            default: return .undefined("not a regression metric")
            }
        }
    }
}
