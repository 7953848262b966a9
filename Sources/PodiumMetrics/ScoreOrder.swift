import PodiumParallel

/// Positive and negative scores of one binary problem, each sorted ascending as
/// `sortableKey`s: the shape both ROC AUC and average precision are walked from.
struct ScoreOrder {
    var positives: [UInt64]
    var negatives: [UInt64]

    /// Splits scores by label and radix-sorts both halves (in parallel when large).
    init(
        labels: UnsafeBufferPointer<UInt8>, scores: UnsafeBufferPointer<Double>, positives nPos: Int,
        parallelism: Parallelism
    ) {
        self.init(count: labels.count, positives: nPos, parallelism: parallelism) { p, q in
            var i = 0
            var j = 0
            for r in 0..<labels.count {
                let key = sortableKey(scores[r])
                if labels[r] != 0 {
                    p[i] = key
                    i &+= 1
                } else {
                    q[j] = key
                    j &+= 1
                }
            }
        }
    }

    /// One class against the rest, from a row-major probability matrix.
    init(
        truth: UnsafeBufferPointer<Int32>, scores: (Int) -> Double, positiveClass c: Int32, positives nPos: Int,
        parallelism: Parallelism
    ) {
        self.init(count: truth.count, positives: nPos, parallelism: parallelism) { p, q in
            var i = 0
            var j = 0
            for r in 0..<truth.count {
                let key = sortableKey(scores(r))
                if truth[r] == c {
                    p[i] = key
                    i &+= 1
                } else {
                    q[j] = key
                    j &+= 1
                }
            }
        }
    }

    private init(
        count: Int, positives nPos: Int, parallelism: Parallelism,
        fill: (UnsafeMutableBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt64>) -> Void
    ) {
        var pos = [UInt64](unsafeUninitializedCapacity: nPos) { _, n in n = nPos }
        var neg = [UInt64](unsafeUninitializedCapacity: count - nPos) { _, n in n = count - nPos }
        pos.withUnsafeMutableBufferPointer { p in neg.withUnsafeMutableBufferPointer { q in fill(p, q) } }
        let big = parallelism.isParallel && count >= parallelThreshold
        var scratchP = [UInt64](unsafeUninitializedCapacity: pos.count) { _, n in n = pos.count }
        var scratchN = [UInt64](unsafeUninitializedCapacity: neg.count) { _, n in n = neg.count }
        pos.withUnsafeMutableBufferPointer { p in
            neg.withUnsafeMutableBufferPointer { q in
                scratchP.withUnsafeMutableBufferPointer { sp in
                    scratchN.withUnsafeMutableBufferPointer { sn in
                        nonisolated(unsafe) let (p, q, sp, sn) = (p, q, sp, sn)
                        if !big {
                            radixSort(p, scratch: sp)
                            radixSort(q, scratch: sn)
                            return
                        }
                        // Each core sorts half of both classes, then each merges one class.
                        let hp = p.count / 2
                        let hq = q.count / 2
                        forEachConcurrently(2, parallelism) { half in
                            let pr = half == 0 ? 0..<hp : hp..<p.count
                            let qr = half == 0 ? 0..<hq : hq..<q.count
                            radixSort(
                                UnsafeMutableBufferPointer(rebasing: p[pr]),
                                scratch: UnsafeMutableBufferPointer(rebasing: sp[pr]))
                            radixSort(
                                UnsafeMutableBufferPointer(rebasing: q[qr]),
                                scratch: UnsafeMutableBufferPointer(rebasing: sn[qr]))
                        }
                        forEachConcurrently(2, parallelism) { half in
                            if half == 0 {
                                mergeHalves(p, at: hp, scratch: sp)
                            } else {
                                mergeHalves(q, at: hq, scratch: sn)
                            }
                        }
                    }
                }
            }
        }
        positives = pos
        negatives = neg
    }

    /// scikit-learn `roc_auc_score`: the probability that a positive outscores a negative,
    /// tied pairs counting one half; `nil` when either class is absent.
    func rocAUC() -> Double? {
        let nP = positives.count
        let nN = negatives.count
        guard nP > 0, nN > 0 else { return nil }
        var u = 0.0
        positives.withUnsafeBufferPointer { p in
            negatives.withUnsafeBufferPointer { q in
                var i = 0
                var j = 0
                while i < nP {
                    let v = p[i]
                    var i2 = i &+ 1
                    while i2 < nP && p[i2] == v { i2 &+= 1 }
                    while j < nN && q[j] < v { j &+= 1 }
                    var j2 = j
                    while j2 < nN && q[j2] == v { j2 &+= 1 }
                    u += Double(i2 &- i) * (Double(j) + 0.5 * Double(j2 &- j))
                    i = i2
                }
            }
        }
        return u / (Double(nP) * Double(nN))
    }

    /// scikit-learn `average_precision_score`: Σ (R_k − R_{k−1}) P_k over the distinct
    /// thresholds from the highest score down; `nil` with no positive.
    func averagePrecision() -> Double? {
        let nP = positives.count
        let nN = negatives.count
        guard nP > 0 else { return nil }
        var ap = 0.0
        positives.withUnsafeBufferPointer { p in
            negatives.withUnsafeBufferPointer { q in
                var i = nP &- 1
                var j = nN &- 1
                var tp = 0
                var fp = 0
                while i >= 0 {
                    // The next threshold down: the larger of the two current tops.
                    let v = j >= 0 && q[j] > p[i] ? q[j] : p[i]
                    var dtp = 0
                    while i >= 0 && p[i] == v {
                        i &-= 1
                        dtp &+= 1
                    }
                    while j >= 0 && q[j] == v {
                        j &-= 1
                        fp &+= 1
                    }
                    if dtp > 0 {
                        tp &+= dtp
                        ap += Double(dtp) / Double(nP) * (Double(tp) / Double(tp &+ fp))
                    }
                }
            }
        }
        return ap
    }
}

/// Merges the sorted runs `keys[..<middle]` and `keys[middle...]` in place, via `scratch`.
func mergeHalves(
    _ keys: UnsafeMutableBufferPointer<UInt64>, at middle: Int, scratch: UnsafeMutableBufferPointer<UInt64>
) {
    let n = keys.count
    guard middle > 0, middle < n else { return }
    var i = 0
    var j = middle
    var k = 0
    while i < middle && j < n {
        let a = keys[i]
        let b = keys[j]
        let takeA = a <= b
        scratch[k] = takeA ? a : b
        i &+= takeA ? 1 : 0
        j &+= takeA ? 0 : 1
        k &+= 1
    }
    while i < middle {
        scratch[k] = keys[i]
        i &+= 1
        k &+= 1
    }
    while j < n {
        scratch[k] = keys[j]
        j &+= 1
        k &+= 1
    }
    keys.baseAddress!.update(from: scratch.baseAddress!, count: n)
}
