import Foundation
import PodiumTables

/// The target of every train and test row as a class code, for the dataset checks: binary
/// 0/1, multiclass the class index, regression 1 above the train median and 0 otherwise (the
/// exact values are kept for comparing copied rows). Test targets come from `solution.csv` by id.
struct DatasetTargets: Sendable {
    var train: [Int32]
    var test: [Int32]
    var classes: Int
    var trainValues: [Double]? = nil
    var testValues: [Double]? = nil
    var usage: [Usage]
    /// Each class's name, for messages.
    var names: [String] = []
    var regression: Bool { trainValues != nil }
    /// With two classes, the codes as 0/1 bytes (for the AUC kernels).
    static func bytes(_ codes: [Int32]) -> [UInt8] { codes.map { UInt8(truncatingIfNeeded: $0) } }

    /// `scores` and `labels` (0/1 bytes) without the rows whose target is unknown (code −1:
    /// a test id the solution lacks); as they are when every row has one.
    static func labelled(_ scores: [Double], _ codes: [Int32], _ labels: [UInt8]) -> ([Double], [UInt8]) {
        guard codes.contains(where: { $0 < 0 }) else { return (scores, labels) }
        let keep = codes.indices.filter { codes[$0] >= 0 }
        return (keep.map { scores[$0] }, keep.map { labels[$0] })
    }

    /// Whether a train row and a test row carry the same target.
    func same(train i: Int, test j: Int) -> Bool {
        if let a = trainValues, let b = testValues { return a[i] == b[j] }
        return train[i] == test[j]
    }

    /// Each class's share of the train rows.
    var prior: [Double] {
        var counts = [Double](repeating: 0, count: classes)
        for c in train where c >= 0 { counts[Int(c)] += 1 }
        let n = max(counts.reduce(0, +), 1)
        return counts.map { $0 / n }
    }

    /// `nil` when the target column is missing from train.csv. `rows` holds each test row's
    /// solution row; a test row whose id the solution lacks (−1) has no target (−1, NaN) and
    /// counts in neither split, so the label-based checks run on the rows that match.
    static func read(train: Table, solution: Solution, rows: [Int], config: ChallengeConfig) -> DatasetTargets? {
        guard let k = train.names.firstIndex(of: config.columns.target) else { return nil }
        let usage = rows.map { $0 >= 0 ? solution.usage[$0] : .ignored }
        switch config.task {
        case .binary:
            guard case .numbers(let v) = train.columns[k], v.allSatisfy({ $0 == 0 || $0 == 1 }) else { return nil }
            return DatasetTargets(
                train: v.map { Int32($0) }, test: rows.map { $0 >= 0 ? Int32(solution.binary[$0]) : -1 }, classes: 2,
                usage: usage, names: ["0", "1"])
        case .regression:
            guard case .numbers(let v) = train.columns[k], !v.contains(where: \.isNaN) else { return nil }
            let sorted = v.sorted()
            guard !sorted.isEmpty else { return nil }
            let median = sorted[sorted.count / 2]
            let testValues = rows.map { $0 >= 0 ? solution.numbers[$0] : .nan }
            return DatasetTargets(
                train: v.map { $0 > median ? 1 : 0 }, test: testValues.map { $0.isNaN ? -1 : $0 > median ? 1 : 0 },
                classes: 2,
                trainValues: v, testValues: testValues, usage: usage, names: ["at most the median", "above the median"])
        case .multiclass:
            // Train labels by the solution's class names; a label the solution never uses
            // becomes a class of its own.
            var lookup = Dictionary(uniqueKeysWithValues: solution.classes.enumerated().map { ($1, Int32($0)) })
            var codes: [Int32] = []
            codes.reserveCapacity(train.rows)
            for r in 0..<train.rows {
                let text = String(decoding: train.cell(r, k), as: UTF8.self)
                if let c = lookup[text] {
                    codes.append(c)
                } else {
                    let c = Int32(lookup.count)
                    lookup[text] = c
                    codes.append(c)
                }
            }
            let names = lookup.sorted { $0.value < $1.value }.map(\.key)
            return DatasetTargets(
                train: codes, test: rows.map { $0 >= 0 ? solution.classIndex[$0] : -1 }, classes: lookup.count,
                usage: usage, names: names)
        case .ranking:
            return nil
        }
    }
}
