/// Per-class confusion counts of one split: true positives, predicted and true totals.
///
/// The label metrics of scikit-learn (`precision_recall_fscore_support`, `accuracy_score`)
/// are all functions of these counts, so each split is read once.
public struct ClassCounts: Sendable {
    public var truePositives: [Int]
    public var predicted: [Int]
    public var support: [Int]

    public init(classes: Int) {
        truePositives = Array(repeating: 0, count: classes)
        predicted = Array(repeating: 0, count: classes)
        support = Array(repeating: 0, count: classes)
    }

    /// Counts a split from true and predicted class indices.
    public init(truth: UnsafeBufferPointer<Int32>, predicted labels: UnsafeBufferPointer<Int32>, classes: Int) {
        self.init(classes: classes)
        truePositives.withUnsafeMutableBufferPointer { tp in
            predicted.withUnsafeMutableBufferPointer { pr in
                support.withUnsafeMutableBufferPointer { su in
                    for i in 0..<truth.count {
                        let t = Int(truth[i])
                        let p = Int(labels[i])
                        su[t] &+= 1
                        pr[p] &+= 1
                        if t == p { tp[t] &+= 1 }
                    }
                }
            }
        }
    }

    public var total: Int { support.reduce(0, +) }

    /// scikit-learn `accuracy_score`.
    public var accuracy: Double {
        let n = total
        return n == 0 ? 0 : Double(truePositives.reduce(0, +)) / Double(n)
    }

    /// Precision, recall or F1 of one class, with `zero_division=0`.
    public func score(_ kind: LabelScore, of c: Int) -> Double {
        let tp = Double(truePositives[c])
        let fp = Double(predicted[c] - truePositives[c])
        let fn = Double(support[c] - truePositives[c])
        return kind.value(tp: tp, fp: fp, fn: fn)
    }

    /// Precision, recall or F1 averaged over the labels present in truth or prediction.
    public func averaged(_ kind: LabelScore, _ averaging: Averaging) -> Double {
        let present = (0..<support.count).filter { support[$0] > 0 || predicted[$0] > 0 }
        guard !present.isEmpty else { return 0 }
        switch averaging {
        case .micro:
            var tp = 0.0
            var fp = 0.0
            var fn = 0.0
            for c in present {
                tp += Double(truePositives[c])
                fp += Double(predicted[c] - truePositives[c])
                fn += Double(support[c] - truePositives[c])
            }
            return kind.value(tp: tp, fp: fp, fn: fn)
        case .macro:
            return present.reduce(0.0) { $0 + score(kind, of: $1) } / Double(present.count)
        case .weighted:
            let weight = present.reduce(0) { $0 + support[$1] }
            guard weight > 0 else { return 0 }
            return present.reduce(0.0) { $0 + score(kind, of: $1) * Double(support[$1]) } / Double(weight)
        }
    }
}

/// Which of precision, recall and F1 to compute from confusion counts.
public enum LabelScore: Sendable {
    case precision, recall, f1

    @inline(__always)
    func value(tp: Double, fp: Double, fn: Double) -> Double {
        switch self {
        case .precision: return tp + fp == 0 ? 0 : tp / (tp + fp)
        case .recall: return tp + fn == 0 ? 0 : tp / (tp + fn)
        case .f1: return 2 * tp + fp + fn == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
        }
    }
}
