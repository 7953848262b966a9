import Metrics

/// The statistics behind the dataset checks, over plain arrays.
public enum LeakStatistics {
    /// AUC* = max(AUC, 1 − AUC) of a score against 0/1 labels; missing values (NaN) form one
    /// bucket of their own. `nil` when one class is absent.
    public static func aucStar(_ scores: [Double], _ labels: [UInt8]) -> Double? {
        let cleaned = scores.map { $0.isNaN ? -Double.infinity : $0 }
        let outcome = labels.withUnsafeBufferPointer { l in
            cleaned.withUnsafeBufferPointer { s in BinaryMetrics.evaluate([.auc], labels: l, scores: s, threshold: 0.5) }
        }
        guard let auc = outcome[0].value else { return nil }
        return max(auc, 1 - auc)
    }

    /// Each category's rate of positive labels on the rows given (missing, code −1, is its own
    /// category, reported last); categories never seen get the overall rate.
    public static func categoryRates(_ codes: [Int32], _ labels: [UInt8], categories: Int) -> (rates: [Double], missing: Double, prior: Double) {
        var positive = [Double](repeating: 0, count: categories + 1)
        var total = [Double](repeating: 0, count: categories + 1)
        for (c, y) in zip(codes, labels) {
            let k = c < 0 ? categories : Int(c)
            total[k] += 1
            positive[k] += Double(y)
        }
        let prior = labels.isEmpty ? 0 : Double(labels.reduce(0) { $0 + Int($1) }) / Double(labels.count)
        let rates = (0...categories).map { total[$0] > 0 ? positive[$0] / total[$0] : prior }
        return (Array(rates.dropLast()), rates.last!, prior)
    }
}
