import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables

/// `id_order_leak` and `time_split`: what the order of rows, ids and times says.
extension DatasetChecks {
    // MARK: id_order_leak

    /// AUC* of the numeric id and of the row position against the labels, on train and on the
    /// hidden test labels; and a runs test of neighbouring labels in file order.
    static func idOrder(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds(.idOrderLeak, config)
        var worst = 0.0
        var evidence: [String: Double] = ["warn": warn, "block": block]
        var what: [String] = []
        // The labels as 0/1 bytes for the AUC kernel, converted once per file.
        let trainY = t.classes == 2 ? DatasetTargets.bytes(t.train) : []
        let testY = t.classes == 2 ? DatasetTargets.bytes(t.test) : []
        func consider(_ label: String, _ scores: [Double], _ y: [Int32], _ bytes: [UInt8]) {
            let a: Double?
            if t.classes == 2 {
                let (scores, bytes) = DatasetTargets.labelled(scores, y, bytes)
                a = LeakStatistics.aucStar(scores, bytes, parallelism: .serial)
            } else {
                // More classes: equal-frequency buckets (at least 200 rows each, at most 64)
                // scored by their own class rates; the rows per bucket keep the in-sample
                // fit's optimism small.
                let edges = LeakStatistics.quantileEdges(scores, count: max(2, min(64, scores.count / 200)))
                a = inSampleAucStar(
                    scores.map { LeakStatistics.bucket($0, edges) }, count: edges.count + 2, y, classes: t.classes)
            }
            guard let a else { return }
            evidence[label] = a
            if a >= warn {
                what.append(String(format: "%@ (AUC* %.3f)", label.replacingOccurrences(of: "_", with: " "), a))
            }
            worst = max(worst, a)
        }
        if case .numbers(let ids)? = train.column(config.columns.id) {
            consider("id_auc_star_train", ids, t.train, trainY)
        }
        if case .numbers(let ids)? = test.column(config.columns.id) { consider("id_auc_star_test", ids, t.test, testY) }
        consider("row_position_auc_star_train", (0..<train.rows).map(Double.init), t.train, trainY)
        consider("row_position_auc_star_test", (0..<test.rows).map(Double.init), t.test, testY)
        // Wald–Wolfowitz runs test on the labels in file order (train, then test); with more
        // classes, on each class of at least 5% against the rest.
        var z = 0.0
        for (label, y) in [("train", t.train), ("test", t.test.filter { $0 >= 0 })] {
            for c in (t.classes == 2 ? [Int32(1)] : (0..<Int32(t.classes)).map { $0 }) {
                let n1 = Double(y.filter { $0 == c }.count)
                let n0 = Double(y.count) - n1
                let n = n0 + n1
                guard n1 > 0, n0 > 0, t.classes == 2 || n1 >= 0.05 * n else { continue }
                let runs = 1 + Double(zip(y, y.dropFirst()).filter { ($0 == c) != ($1 == c) }.count)
                let mean = 2 * n0 * n1 / n + 1
                let variance = (mean - 1) * (mean - 2) / (n - 1)
                let zz = variance > 0 ? (runs - mean) / variance.squareRoot() : 0
                evidence["runs_z_\(label)"] = min(evidence["runs_z_\(label)"] ?? 0, zz)
                if zz < -4 {
                    what.append(
                        String(format: "labels of neighbouring %@ rows cluster (runs test z = %.1f)", label, zz))
                }
                z = min(z, zz)
            }
        }
        guard worst >= warn || z < -4 else { return [] }
        let severity: Severity = worst >= block || z < -8 ? .block : .warning
        return [
            Finding(
                name: .idOrderLeak, severity: severity,
                message: "the order of the rows or their ids says something about the label: "
                    + what.joined(separator: "; ") + "; shuffle the rows and assign random ids",
                evidence: evidence)
        ]
    }

    // MARK: time_split

    static func timeSplit(_ train: Table, _ test: Table, column: String, gap: Double) -> [Finding] {
        guard let a = times(train, column), let b = times(test, column), let lastTrain = a.max(),
            let firstTest = b.min()
        else {
            return [
                Finding(
                    name: .timeSplit, severity: .block,
                    message: "the time column '\(column)' is missing or unreadable in train.csv or test.csv")
            ]
        }
        let distance = firstTest - lastTrain
        if distance <= 0 || distance < gap {
            return [
                Finding(
                    name: .timeSplit, severity: .block,
                    message:
                        "the earliest test time is \(describe(distance)) after the latest train time; it must be "
                        + "after it by at least \(describe(gap)) (\(column))",
                    evidence: ["seconds_between": distance, "required_gap_seconds": gap])
            ]
        }
        return []
    }

    static func describe(_ seconds: Double) -> String {
        if seconds < 0 { return "\(describe(-seconds)) before, not" }
        return seconds >= 86400 ? String(format: "%.1f days", seconds / 86400) : String(format: "%.0f s", seconds)
    }

    /// A column's times: ISO 8601 text or Unix seconds.
    static func times(_ table: Table, _ column: String) -> [Double]? {
        guard let k = table.names.firstIndex(of: column) else { return nil }
        switch table.columns[k] {
        case .numbers(let v): return v.filter { !$0.isNaN }
        case .text(let t):
            var byCode = [Double?](repeating: nil, count: t.values.count)
            for (i, text) in t.values.enumerated() { byCode[i] = Instants.parseInstant(text)?.timeIntervalSince1970 }
            var out: [Double] = []
            for c in t.codes where c >= 0 {
                guard let v = byCode[Int(c)] else { return nil }
                out.append(v)
            }
            return out
        }
    }
}
