import PodiumMetrics
import PodiumParallel
import Testing

@Suite("Metric kernels")
struct KernelTests {
    @Test(arguments: [0, 1, 5, 63, 64, 1000, 300_000])
    func radixSortMatchesStandardSort(_ n: Int) {
        var rng = SplitMix64(seed: UInt64(n) + 1)
        let values: [Double] = (0..<n).map { i in
            switch i % 5 {
            case 0: return Double(rng.below(100)) / 10  // ties
            case 1: return -Double(rng.next() % 1_000_000) / 7
            case 2: return i % 2 == 0 ? 0.0 : -0.0
            case 3: return Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF) * (i % 3 == 0 ? -1 : 1)
            default: return Double(rng.below(1 << 30)) * 1e-9
            }
        }
        let keys = values.map(sortableKey)
        let sorted = radixSorted(keys)
        #expect(sorted == keys.sorted())
        #expect(sorted.map(doubleFromKey) == values.map { $0 == 0 ? 0.0 : $0 }.sorted())
    }

    @Test func sortableKeyOrdersLikeDoubles() {
        let xs: [Double] = [
            -.greatestFiniteMagnitude, -1e300, -1, -1e-300, -0.0, 0.0, 1e-300, 1, 1e300, .greatestFiniteMagnitude,
        ]
        for (a, b) in zip(xs, xs.dropFirst()) {
            #expect(sortableKey(a) <= sortableKey(b), "\(a) \(b)")
        }
        #expect(sortableKey(-0.0) == sortableKey(0.0))
    }

    @Test func metricNamesParse() {
        #expect(Metric(name: "ndcg@10") == .ndcg(10))
        #expect(Metric(name: "ndcg") == .ndcg(nil))
        #expect(Metric(name: "f1_macro") == .f1Averaged(.macro))
        #expect(Metric(name: "precision@5") == .precisionAt(5))
        #expect(Metric(name: "precision") == .precision)
        #expect(Metric(name: "map@3") == .mapAt(3))
        #expect(Metric(name: "ndcg@0") == nil)
        #expect(Metric(name: "ndcg@") == nil)
        #expect(Metric(name: "ndcg@-1") == nil)
        #expect(Metric(name: "auc@5") == nil)
        #expect(Metric(name: "map") == nil)
        #expect(Metric(name: "AUC") == nil)
        #expect(Metric.logloss.higherIsBetter == false)
        #expect(Metric.auc.supports(.ranking) == false)
        #expect(Metric.aucWeighted.supports(.multiclass))
    }

    @Test func bootstrapIsReproducibleAndCoversTheMean() {
        let data = (0..<500).map { Double($0 % 17) }
        let mean = data.reduce(0, +) / Double(data.count)
        let stat: @Sendable (UnsafeBufferPointer<Int32>) -> Double? = { picks in
            picks.reduce(0.0) { $0 + data[Int($1)] } / Double(picks.count)
        }
        let a = Bootstrap.interval(count: data.count, statistic: stat)!
        let b = Bootstrap.interval(count: data.count, statistic: stat)!
        #expect(a == b)
        #expect(a.low < mean && mean < a.high)
        #expect(a.resamples == 1000)
        // Standard error of the mean is about sd/sqrt(n) ≈ 0.22: the interval spans roughly ±2 SE.
        #expect(a.high - a.low > 0.5 && a.high - a.low < 1.2)
    }

    @Test func percentileMatchesNumpyLinear() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) == [1.075, 3.925]
        #expect(abs(Bootstrap.percentile([1, 2, 3, 4], 0.025) - 1.075) < 1e-12)
        #expect(abs(Bootstrap.percentile([1, 2, 3, 4], 0.975) - 3.925) < 1e-12)
    }

    @Test func largeBinaryInputsUseTheParallelPathWithTheSameResult() {
        var rng = SplitMix64(seed: 9)
        let n = 400_000
        let labels = (0..<n).map { _ in UInt8(rng.below(10) == 0 ? 1 : 0) }
        let scores = labels.map { Double(rng.below(1000) + Int($0) * 200) / 1000 }
        let metrics: [Metric] = [.auc, .averagePrecision, .f1]
        let parallel = labels.withUnsafeBufferPointer { l in
            scores.withUnsafeBufferPointer {
                BinaryMetrics.evaluate(metrics, labels: l, scores: $0, threshold: 0.5, parallelism: .allCores)
            }
        }
        let serial = labels.withUnsafeBufferPointer { l in
            scores.withUnsafeBufferPointer {
                BinaryMetrics.evaluate(metrics, labels: l, scores: $0, threshold: 0.5, parallelism: .serial)
            }
        }
        #expect(parallel == serial)
        // Mann–Whitney by counting over the distinct scores k/1000.
        var pos = [Double](repeating: 0, count: 1300)
        var neg = [Double](repeating: 0, count: 1300)
        for (y, s) in zip(labels, scores) {
            let b = Int((s * 1000).rounded())
            if y == 1 { pos[b] += 1 } else { neg[b] += 1 }
        }
        var u = 0.0
        var below = 0.0
        for b in 0..<1300 {
            u += pos[b] * (below + 0.5 * neg[b])
            below += neg[b]
        }
        let auc = u / (pos.reduce(0, +) * neg.reduce(0, +))
        #expect(abs(parallel[0].value! - auc) < 1e-12)
    }
}
