import PodiumMetrics
import PodiumParallel

/// The statistics behind the dataset checks, over plain arrays.
public enum LeakStatistics {
    /// AUC* = max(AUC, 1 − AUC) of a score against 0/1 labels; missing values (NaN) form one
    /// bucket of their own. `nil` when one class is absent.
    public static func aucStar(_ scores: [Double], _ labels: [UInt8], parallelism: Parallelism = .allCores) -> Double? {
        // Missing values (NaN) as one bucket below every number; no copy when there are none.
        let cleaned = scores.contains(where: \.isNaN) ? scores.map { $0.isNaN ? -Double.infinity : $0 } : scores
        let outcome = labels.withUnsafeBufferPointer { l in
            cleaned.withUnsafeBufferPointer { s in
                BinaryMetrics.evaluate([.auc], labels: l, scores: s, threshold: 0.5, parallelism: parallelism)
            }
        }
        guard let auc = outcome[0].value else { return nil }
        return max(auc, 1 - auc)
    }
}

extension LeakStatistics {
    /// AUC* of a bucketed feature against class labels, from counts alone (no sort of rows):
    /// `counts[b][c]` rows of class `c` in bucket `b`, each bucket scored for class `c` by
    /// `scores[b][c]`. Binary: the AUC* of class 1. More classes: the prevalence-weighted
    /// mean of the one-vs-rest AUC*s, so a feature that singles out one class among ten does
    /// not count as a leak but one that sorts every class apart does. `nil` without two classes.
    public static func bucketAucStar(counts: [[Double]], scores: [[Double]], classes: Int) -> Double? {
        var groups = Groups(classes: classes)
        for b in counts.indices {
            groups.counts += counts[b]
            groups.scores += scores[b]
        }
        return groups.aucStar()
    }

    /// Bucket edges for a numeric feature: up to `count` equal-frequency cut points taken from
    /// (a sample of) its finite values. `bucket(_:_:)` maps a value to its bucket; NaN gets the
    /// last bucket, `edges.count + 1`.
    public static func quantileEdges(_ values: [Double], count: Int = 64) -> [Double] {
        let step = max(1, values.count / 65_536)
        var sample: [Double] = []
        sample.reserveCapacity(values.count / step + 1)
        var i = 0
        while i < values.count {
            if !values[i].isNaN { sample.append(values[i]) }
            i += step
        }
        guard !sample.isEmpty else { return [] }
        sample.sort()
        var edges: [Double] = []
        for q in 1..<count {
            let v = sample[min(sample.count - 1, q * sample.count / count)]
            if edges.last != v { edges.append(v) }
        }
        return edges
    }

    public static func bucket(_ v: Double, _ edges: [Double]) -> Int {
        if v.isNaN { return edges.count + 1 }
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
