#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ranking metrics, per query and as the mean over queries (trec_eval, Kaggle, scikit-learn).
///
/// Relevant means relevance ≥ 1. Queries with no relevant item score 0 and stay in the mean.
public enum RankingMetrics {
    /// Computes `metrics` as means over the queries; undefined when there is no query.
    public static func evaluate(_ metrics: [Metric], _ queries: RankedQueries) -> [Outcome] {
        guard queries.count > 0 else { return metrics.map { _ in .undefined("no queries in this split") } }
        return perQuery(metrics, queries).map { values in
            .value(values.reduce(0, +) / Double(values.count))
        }
    }

    /// Every metric's value for each query: `result[m][q]`.
    public static func perQuery(_ metrics: [Metric], _ queries: RankedQueries) -> [[Double]] {
        var longest = 1
        for q in 0..<queries.count {
            longest = max(
                longest, queries.rankStart[q + 1] - queries.rankStart[q],
                queries.idealStart[q + 1] - queries.idealStart[q])
        }
        let discount = (0..<longest).map { 1 / log2(Double($0) + 2) }
        var result = metrics.map { _ in [Double](repeating: 0, count: queries.count) }
        let tieFlags = queries.tieStart ?? []
        let hasTies = queries.tieStart != nil
        tieFlags.withUnsafeBufferPointer { tieBuffer in
            queries.relevance.withUnsafeBufferPointer { rel in
                queries.ideal.withUnsafeBufferPointer { ideal in
                    discount.withUnsafeBufferPointer { disc in
                        for q in 0..<queries.count {
                            let ranked = UnsafeBufferPointer(
                                rebasing: rel[queries.rankStart[q]..<queries.rankStart[q + 1]])
                            let best = UnsafeBufferPointer(
                                rebasing: ideal[queries.idealStart[q]..<queries.idealStart[q + 1]])
                            var relevant = 0
                            for r in best where r >= 1 { relevant &+= 1 }
                            let ties =
                                hasTies
                                ? UnsafeBufferPointer(
                                    rebasing: tieBuffer[queries.rankStart[q]..<queries.rankStart[q + 1]]) : nil
                            for (m, metric) in metrics.enumerated() {
                                result[m][q] = value(
                                    metric, ranked: ranked, ideal: best, relevant: relevant, discount: disc, ties: ties)
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    static func value(
        _ metric: Metric, ranked: UnsafeBufferPointer<Int32>, ideal: UnsafeBufferPointer<Int32>, relevant: Int,
        discount: UnsafeBufferPointer<Double>, ties: UnsafeBufferPointer<UInt8>?
    ) -> Double {
        switch metric {
        case .ndcg(let k): return ndcg(ranked, ideal, cutoff: k, exponential: false, discount: discount)
        case .ndcgExp(let k): return ndcg(ranked, ideal, cutoff: k, exponential: true, discount: discount)
        case .ndcgTieAveraged(let k):
            guard let ties else { return ndcg(ranked, ideal, cutoff: k, exponential: false, discount: discount) }
            return tieAveragedNDCG(ranked, ideal, cutoff: k, ties: ties, discount: discount)
        case .precisionAt(let k): return Double(hits(ranked, k)) / Double(k)
        case .recallAt(let k): return relevant == 0 ? 0 : Double(hits(ranked, k)) / Double(relevant)
        case .mapAt(let k):
            return relevant == 0 ? 0 : precisionSum(ranked, k) / Double(min(relevant, k))
        case .mapTrec(let k):
            return relevant == 0 ? 0 : precisionSum(ranked, k ?? Int.max) / Double(relevant)
        case .mrr(let k):
            let limit = min(ranked.count, k ?? Int.max)
            for i in 0..<limit where ranked[i] >= 1 { return 1 / Double(i + 1) }
            return 0
        default: return .nan
        }
    }

    @inline(__always)
    static func gain(_ r: Int32, exponential: Bool) -> Double {
        exponential ? exp2(Double(r)) - 1 : Double(r)
    }

    static func ndcg(
        _ ranked: UnsafeBufferPointer<Int32>, _ ideal: UnsafeBufferPointer<Int32>, cutoff: Int?, exponential: Bool,
        discount: UnsafeBufferPointer<Double>
    ) -> Double {
        let k = cutoff ?? Int.max
        var ideally = 0.0
        for i in 0..<min(k, ideal.count) { ideally += gain(ideal[i], exponential: exponential) * discount[i] }
        guard ideally > 0 else { return 0 }
        var dcg = 0.0
        for i in 0..<min(k, ranked.count) { dcg += gain(ranked[i], exponential: exponential) * discount[i] }
        return dcg / ideally
    }

    /// scikit-learn `_tie_averaged_dcg`: each run of tied scores shares its mean gain over
    /// the discounts of the ranks it spans (discounts beyond the cutoff are zero).
    static func tieAveragedNDCG(
        _ ranked: UnsafeBufferPointer<Int32>, _ ideal: UnsafeBufferPointer<Int32>, cutoff: Int?,
        ties: UnsafeBufferPointer<UInt8>,
        discount: UnsafeBufferPointer<Double>
    ) -> Double {
        let k = cutoff ?? Int.max
        var ideally = 0.0
        for i in 0..<min(k, ideal.count) { ideally += Double(ideal[i]) * discount[i] }
        guard ideally > 0 else { return 0 }
        var dcg = 0.0
        var start = 0
        while start < ranked.count && start < k {
            var end = start + 1
            while end < ranked.count && ties[end] == 0 { end += 1 }
            var total = 0.0
            var discounts = 0.0
            for i in start..<end {
                total += Double(ranked[i])
                if i < k { discounts += discount[i] }
            }
            dcg += total / Double(end - start) * discounts
            start = end
        }
        return dcg / ideally
    }

    @inline(__always)
    static func hits(_ ranked: UnsafeBufferPointer<Int32>, _ k: Int) -> Int {
        var n = 0
        for i in 0..<min(k, ranked.count) where ranked[i] >= 1 { n += 1 }
        return n
    }

    /// Σ precision@i over the ranks i ≤ k holding a relevant item.
    @inline(__always)
    static func precisionSum(_ ranked: UnsafeBufferPointer<Int32>, _ k: Int) -> Double {
        var found = 0
        var sum = 0.0
        for i in 0..<min(k, ranked.count) where ranked[i] >= 1 {
            found += 1
            sum += Double(found) / Double(i + 1)
        }
        return sum
    }
}
