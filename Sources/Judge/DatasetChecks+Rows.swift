import Checks
import Foundation
import Intake
import Metrics

/// `id_overlap`, `duplicate_rows` and `near_duplicate_rows`: test rows that are train rows.
extension DatasetChecks {
    // MARK: id_overlap

    static func idOverlap(_ train: Table, _ test: Table, id: String, config: ChallengeConfig) -> [Finding] {
        guard let a = train.names.firstIndex(of: id), let b = test.names.firstIndex(of: id), train.hasCells(a), test.hasCells(b) else { return [] }
        // Test ids (the smaller file) by a stable hash of their bytes; train ids are looked up
        // and a hit is confirmed on the bytes.
        var index = HashChains(test.rows)
        for r in 0..<test.rows { index.insert(stableHash(test.cell(r, b)), r) }
        var hit = [Bool](repeating: false, count: test.rows)
        for r in 0..<train.rows {
            let key = train.cell(r, a)
            index.forEach(stableHash(key)) { j in if equalBytes(test.cell(j, b), key) { hit[j] = true } }
        }
        let count = hit.filter { $0 }.count
        let shared = hit.indices.lazy.filter { hit[$0] }.prefix(5).map { String(decoding: test.cell($0, b), as: UTF8.self) }
        guard count > 0 else { return [] }
        return [Finding(
            name: "id_overlap", severity: .block,
            message: "\(count) test ids also appear in train.csv (first: \(shared.joined(separator: ", "))); a test row must not be a training row",
            evidence: ["shared_ids": Double(count), "share": Double(count) / Double(max(test.rows, 1))])]
    }

    // MARK: duplicate_rows

    /// Exact copies, or with `near` copies after rounding numbers to 6 significant digits and
    /// normalising text (case, whitespace).
    static func duplicateRows(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig, near: Bool = false) -> [Finding] {
        let name = near ? "near_duplicate_rows" : "duplicate_rows"
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let shared = train.names.enumerated().compactMap { k, name -> (Int, Int)? in
            guard !skip.contains(name), let j = test.names.firstIndex(of: name) else { return nil }
            return (k, j)
        }
        guard !shared.isEmpty else { return [] }
        let keys = RowKeys(near: near)
        let trainKeys = shared.map { keys.keys(train, $0.0) }, testKeys = shared.map { keys.keys(test, $0.1) }
        // Test rows (the smaller file) by row hash; each train row is hashed and looked up, a
        // hit confirmed on the values (text: its exact or normalised bytes).
        var index = HashChains(test.rows)
        var hashes: [UInt64] = []
        RowKeys.rowHashes(testKeys, 0..<test.rows, into: &hashes)
        for (j, h) in hashes.enumerated() { index.insert(h, j) }
        var copied = [Bool](repeating: false, count: test.rows), same = copied
        // Train rows in blocks of 64k, hashed column by column.
        for start in stride(from: 0, to: train.rows, by: 1 << 16) {
            let block = start..<min(start + (1 << 16), train.rows)
            RowKeys.rowHashes(trainKeys, block, into: &hashes)
            for r in block {
                index.forEach(hashes[r - start]) { j in
                    guard zip(trainKeys, testKeys).allSatisfy({ $0.key(r) == $1.key(j) }) else { return }
                    copied[j] = true
                    if t.same(train: r, test: j) { same[j] = true }
                }
            }
        }
        let copies = copied.filter { $0 }.count, sameLabel = same.filter { $0 }.count
        guard copies > 0 else { return [] }
        let share = Double(sameLabel) / Double(max(test.rows, 1))
        let (_, block) = thresholds(name, config, warn: 0, block: 0.05)
        return [Finding(
            name: name, severity: share > block ? .block : .warning,
            message: "\(copies) test rows (\(String(format: "%.1f", 100 * Double(copies) / Double(max(test.rows, 1))))%) copy a training row feature for feature\(near ? " (numbers to 6 significant digits, text without case or extra spaces)" : ""), \(sameLabel) of them with the same hidden label",
            evidence: ["copies": Double(copies), "same_label": Double(sameLabel), "same_label_share": share, "block": block])]
    }
}
