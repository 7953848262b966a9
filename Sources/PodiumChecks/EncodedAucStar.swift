/// Target encoding measured honestly: a bucketed feature (categories, or numeric buckets)
/// scored by class rates that never include the row being scored.
extension LeakStatistics {
    /// Row `row`'s fold among `folds`: a fixed hash of the row number (SplitMix64's finaliser),
    /// so the same file always gets the same folds and no ordering of the rows lines up with them.
    @inline(__always)
    public static func fold(_ row: Int, of folds: Int) -> Int {
        var z = UInt64(truncatingIfNeeded: row) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(folds))
    }

    /// AUC* of a bucketed feature encoded by its class rates, on train out of fold and on test.
    ///
    /// Train: each row's bucket is scored by the class rates of that bucket in the other
    /// `folds − 1` folds (k-fold target encoding), so a bucket of one row, or a fit of a bucket
    /// to its own rows, earns nothing. Test: each row's bucket is scored by the rates over every
    /// train row. A bucket without train rows (in the other folds) is scored by the overall
    /// train rates. AUC* is taken as `bucketAucStar` takes it: binary, of class 1; more classes,
    /// the prevalence-weighted mean of the one-vs-rest AUC*s.
    /// - Parameters:
    ///   - trainBuckets, testBuckets: each row's bucket, `0..<buckets`.
    ///   - trainLabels, testLabels: each row's class, `0..<classes`; negative means unknown
    ///     (the row is left out).
    /// - Returns: the two AUC*s, each `nil` without two classes among its rows.
    public static func encodedAucStar(
        trainBuckets: [Int32], trainLabels: [Int32], testBuckets: [Int32], testLabels: [Int32], buckets: Int,
        classes: Int,
        folds: Int = 5
    ) -> (train: Double?, test: Double?) {
        let k = folds
        let width = classes
        // Rows per (bucket, fold, class).
        var perFold = [UInt32](repeating: 0, count: buckets * k * width)
        for (r, (b, y)) in zip(trainBuckets, trainLabels).enumerated() where y >= 0 {
            perFold[(Int(b) * k + fold(r, of: k)) * width + Int(y)] += 1
        }
        var totals = [Double](repeating: 0, count: buckets * width)
        var prior = [Double](repeating: 0, count: width)
        for b in 0..<buckets {
            for f in 0..<k {
                for c in 0..<width { totals[b * width + c] += Double(perFold[(b * k + f) * width + c]) }
            }
            for c in 0..<width { prior[c] += totals[b * width + c] }
        }
        let n = prior.reduce(0, +)
        if n > 0 { for c in 0..<width { prior[c] /= n } }

        // Train: one group per non-empty (bucket, fold), scored by the bucket's other folds.
        var trainGroups = Groups(classes: width)
        for b in 0..<buckets {
            for f in 0..<k {
                let base = (b * k + f) * width
                guard (0..<width).contains(where: { perFold[base + $0] > 0 }) else { continue }
                var others = 0.0
                for c in 0..<width { others += totals[b * width + c] - Double(perFold[base + c]) }
                for c in 0..<width {
                    let own = Double(perFold[base + c])
                    trainGroups.counts.append(own)
                    trainGroups.scores.append(others > 0 ? (totals[b * width + c] - own) / others : prior[c])
                }
            }
        }
        // Test: one group per bucket, scored by every train row of the bucket.
        var testCounts = [Double](repeating: 0, count: buckets * width)
        for (b, y) in zip(testBuckets, testLabels) where y >= 0 { testCounts[Int(b) * width + Int(y)] += 1 }
        var testGroups = Groups(classes: width)
        for b in 0..<buckets {
            guard (0..<width).contains(where: { testCounts[b * width + $0] > 0 }) else { continue }
            var trainRows = 0.0
            for c in 0..<width { trainRows += totals[b * width + c] }
            for c in 0..<width {
                testGroups.counts.append(testCounts[b * width + c])
                testGroups.scores.append(trainRows > 0 ? totals[b * width + c] / trainRows : prior[c])
            }
        }
        return (trainGroups.aucStar(), testGroups.aucStar())
    }

    /// Groups of rows that share one score per class, flat: AUC* from counts, with ties.
    struct Groups {
        let classes: Int
        var counts: [Double] = []
        var scores: [Double] = []
        var count: Int { counts.count / classes }

        init(classes: Int) { self.classes = classes }

        /// Binary: AUC* of class 1; more classes: the one-vs-rest AUC*s averaged by prevalence.
        func aucStar() -> Double? {
            var totals = [Double](repeating: 0, count: classes)
            for g in 0..<count { for c in 0..<classes { totals[c] += counts[g * classes + c] } }
            let n = totals.reduce(0, +)
            guard totals.filter({ $0 > 0 }).count >= 2 else { return nil }
            var weighted = 0.0
            var weight = 0.0
            for c in (classes == 2 ? [1] : Array(0..<classes)) where totals[c] > 0 && totals[c] < n {
                let order = (0..<count).sorted { scores[$0 * classes + c] < scores[$1 * classes + c] }
                var below = 0.0
                var sum = 0.0
                var k = 0
                while k < order.count {
                    var pos = 0.0
                    var all = 0.0
                    let s = scores[order[k] * classes + c]
                    while k < order.count && scores[order[k] * classes + c] == s {
                        let g = order[k]
                        pos += counts[g * classes + c]
                        for d in 0..<classes { all += counts[g * classes + d] }
                        k += 1
                    }
                    let neg = all - pos
                    sum += pos * below + 0.5 * pos * neg
                    below += neg
                }
                let auc = sum / (totals[c] * (n - totals[c]))
                let w = classes == 2 ? 1 : totals[c]
                weighted += w * max(auc, 1 - auc)
                weight += w
            }
            return weight > 0 ? weighted / weight : nil
        }
    }
}
