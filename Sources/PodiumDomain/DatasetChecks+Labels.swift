import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables

/// `target_leak_feature`: a feature that alone gives the label away.
extension DatasetChecks {
    // MARK: target_leak_feature

    static func targetLeaks(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds(.targetLeakFeature, config)
        var findings: [Finding] = []
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let trainY = t.classes == 2 ? DatasetTargets.bytes(t.train) : []
        let testY = t.classes == 2 ? DatasetTargets.bytes(t.test) : []
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard let j = test.names.firstIndex(of: name) else { continue }
            var onTrain = 0.5
            var onTest = 0.5
            switch (train.columns[k], test.columns[j]) {
            case (.numbers(let a), .numbers(let b)) where t.classes == 2:
                // Numbers as they are: nothing is fitted, so train and test are alike.
                onTrain = LeakStatistics.aucStar(a, trainY, parallelism: .serial) ?? 0.5
                let (scores, labels) = DatasetTargets.labelled(b, t.test, testY)
                onTest = LeakStatistics.aucStar(scores, labels, parallelism: .serial) ?? 0.5
            case (.numbers(let a), .numbers(let b)):
                // More classes: equal-frequency buckets of the train values, each scored by its
                // train class rates (a per-class target encoding).
                let edges = LeakStatistics.quantileEdges(a)
                (onTrain, onTest) = encodedAucStar(
                    a.map { Int32(LeakStatistics.bucket($0, edges)) },
                    b.map { Int32(LeakStatistics.bucket($0, edges)) }, buckets: edges.count + 2, t)
            case (.text(let a), .text(let b)):
                // Mostly unique text (ids, free text, undeclared timestamps) would fit any label.
                if a.values.count > train.rows / 2 { continue }
                // Categories by their train target rate; missing values are a bucket of their
                // own, categories never seen in train another (scored with the overall rate).
                let missing = Int32(a.values.count)
                let unseen = Int32(a.values.count + 1)
                let lookup = Dictionary(uniqueKeysWithValues: a.values.enumerated().map { ($1, Int32($0)) })
                let testCode = b.values.map { lookup[$0] ?? unseen }
                (onTrain, onTest) = encodedAucStar(
                    a.codes.map { $0 < 0 ? missing : $0 }, b.codes.map { $0 < 0 ? missing : testCode[Int($0)] },
                    buckets: a.values.count + 2, t)
            default:
                continue
            }
            // The hidden test labels decide: a column whose groups each carry one label fits
            // train (even out of fold, when a group has rows in several folds) but says nothing
            // about test rows of groups train never saw.
            if onTest >= warn {
                findings.append(
                    Finding(
                        name: .targetLeakFeature, severity: onTest >= block ? .block : .warning,
                        message: String(
                            format:
                                "the column '%@' alone separates the hidden test labels (AUC* %.4f; %.4f on train, "
                                + "out of fold); a feature this predictive usually encodes the answer (for "
                                + "example, a value recorded only after the outcome)",
                            name, onTest, onTrain),
                        evidence: ["auc_star_train": onTrain, "auc_star_test": onTest, "warn": warn, "block": block]))
                continue
            }
            if let finding = missingLeak(name, train.columns[k], t) { findings.append(finding) }
            if onTrain >= warn {
                findings.append(
                    Finding(
                        name: .targetLeakFeature, severity: .info,
                        message: String(
                            format:
                                "the column '%@' separates the train labels (AUC* %.4f, out of fold) but not the "
                                + "hidden test labels (%.4f): its values carry one label each within train, and "
                                + "test rows do not share them — as when train and test are split by that "
                                + "group; not a leak, but a model may learn the group instead of the "
                                + "signal",
                            name, onTrain, onTest),
                        evidence: ["auc_star_train": onTrain, "auc_star_test": onTest, "warn": warn, "block": block]))
            }
        }
        return findings
    }

    /// A column whose emptiness gives a class away (an aircraft's tail number is missing only
    /// for cancelled flights): on train, the empty cells are ≥ 99% one class, improbably by
    /// chance (p^n < 10⁻⁶), and cover at least 10% of that class's rows. AUC* can stay below
    /// its threshold when the rest of the class looks ordinary, so this is reported on its own,
    /// as a warning.
    static func missingLeak(_ name: String, _ column: Table.Column, _ t: DatasetTargets) -> Finding? {
        var missing = [Double](repeating: 0, count: t.classes)
        var totals = missing
        func count(_ isMissing: (Int) -> Bool) {
            for (r, c) in t.train.enumerated() where c >= 0 {
                totals[Int(c)] += 1
                if isMissing(r) { missing[Int(c)] += 1 }
            }
        }
        switch column {
        case .numbers(let v): count { v[$0].isNaN }
        case .text(let text): count { text.codes[$0] < 0 }
        }
        let n = missing.reduce(0, +)
        let prior = t.prior
        guard n > 0 else { return nil }
        for c in 0..<t.classes
        where missing[c] / n >= 0.99 && pow(prior[c], missing[c]) < 1e-6 && missing[c] >= 0.1 * totals[c] {
            let share = missing[c] / totals[c]
            let label = t.regression ? t.names[c] : "label \(t.names[c])"
            return Finding(
                name: .targetLeakFeature, severity: .warning,
                message: String(
                    format:
                        "the column '%@' is empty in %.0f train rows, %.1f%% of them %@, which is %.1f%% of that "
                        + "class: its emptiness gives the label away (a value recorded only when the outcome did "
                        + "not happen?)",
                    name, n, 100 * missing[c] / n, label, 100 * share),
                evidence: ["missing_rows": n, "purity": missing[c] / n, "class_share": share])
        }
        return nil
    }

    /// AUC* on train (out of fold: 5-fold target encoding) and on the hidden test labels
    /// (encoded by every train row) of a bucketed feature scored by its class rates.
    static func encodedAucStar(_ trainBuckets: [Int32], _ testBuckets: [Int32], buckets: Int, _ t: DatasetTargets) -> (
        Double, Double
    ) {
        let (train, test) = LeakStatistics.encodedAucStar(
            trainBuckets: trainBuckets, trainLabels: t.train, testBuckets: testBuckets, testLabels: t.test,
            buckets: buckets, classes: t.classes)
        return (train ?? 0.5, test ?? 0.5)
    }

    /// Rows per bucket and class.
    static func contingency(_ buckets: [Int], _ y: [Int32], buckets count: Int, classes: Int) -> [[Double]] {
        var table = [Double](repeating: 0, count: count * classes)
        for (b, c) in zip(buckets, y) where c >= 0 { table[b * classes + Int(c)] += 1 }
        return (0..<count).map { Array(table[$0 * classes..<($0 + 1) * classes]) }
    }

    /// AUC* of a bucketed signal scored by its own class rates (row order, ids).
    static func inSampleAucStar(_ buckets: [Int], count: Int, _ y: [Int32], classes: Int) -> Double? {
        let counts = contingency(buckets, y, buckets: count, classes: classes)
        let scores = counts.map { row -> [Double] in
            let n = row.reduce(0, +)
            return row.map { n > 0 ? $0 / n : 0 }
        }
        return LeakStatistics.bucketAucStar(counts: counts, scores: scores, classes: classes)
    }
}
