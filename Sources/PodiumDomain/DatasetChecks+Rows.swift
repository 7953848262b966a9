import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables

/// `id_overlap`, `duplicate_rows` and `near_duplicate_rows`: test rows that are train rows.
extension DatasetChecks {
    // MARK: id_overlap

    static func idOverlap(_ train: Table, _ test: Table, id: String, config: ChallengeConfig) -> [Finding] {
        guard let a = train.names.firstIndex(of: id), let b = test.names.firstIndex(of: id), train.hasCells(a),
            test.hasCells(b)
        else { return [] }
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
        let shared = hit.indices.lazy.filter { hit[$0] }.prefix(5).map {
            String(decoding: test.cell($0, b), as: UTF8.self)
        }
        guard count > 0 else { return [] }
        return [
            Finding(
                name: .idOverlap, severity: .block,
                message:
                    "\(count) test ids also appear in train.csv (first: \(shared.joined(separator: ", "))); a test "
                    + "row must not be a training row",
                evidence: ["shared_ids": Double(count), "share": Double(count) / Double(max(test.rows, 1))])
        ]
    }

    // MARK: duplicate_rows

    /// Exact copies, or with `near` copies after rounding numbers to 6 significant digits and
    /// normalising text (case, whitespace).
    static func duplicateRows(
        _ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig, near: Bool = false
    ) -> [Finding] {
        let name: CheckName = near ? .nearDuplicateRows : .duplicateRows
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let shared = train.names.enumerated().compactMap { k, name -> (Int, Int)? in
            guard !skip.contains(name), let j = test.names.firstIndex(of: name) else { return nil }
            return (k, j)
        }
        guard !shared.isEmpty else { return [] }
        let keys = RowKeys(near: near)
        let trainKeys = shared.map { keys.keys(train, $0.0) }
        let testKeys = shared.map { keys.keys(test, $0.1) }
        func equal(_ a: [RowKeys.ColumnKeys], _ r: Int, _ b: [RowKeys.ColumnKeys], _ j: Int) -> Bool {
            zip(a, b).allSatisfy { $0.key(r) == $1.key(j) }
        }
        // Test rows (the smaller file) grouped by their features: groups indexed by row hash,
        // each confirmed on the values (text: its exact or normalised bytes). Every walk is
        // over distinct feature rows, so a small feature space costs nothing extra.
        var hashes: [UInt64] = []
        RowKeys.rowHashes(testKeys, 0..<test.rows, into: &hashes)
        var index = HashChains(test.rows)
        var representative: [Int32] = []
        var groupOf = [Int32](repeating: 0, count: test.rows)
        for j in 0..<test.rows {
            var found = -1
            index.forEach(hashes[j]) { g in
                if found < 0 && equal(testKeys, Int(representative[g]), testKeys, j) { found = g }
            }
            if found < 0 {
                found = representative.count
                representative.append(Int32(j))
                index.insert(hashes[j], found)
            }
            groupOf[j] = Int32(found)
        }
        // Each train row looked up; the targets of the train rows a group copies, with counts.
        func label(_ values: [Double]?, _ codes: [Int32], _ r: Int) -> Int64 {
            values.map { Int64(bitPattern: $0[r].bitPattern) } ?? Int64(codes[r])
        }
        var copiedTargets: [Int32: [Int64: Int32]] = [:]
        for start in stride(from: 0, to: train.rows, by: 1 << 16) {
            let block = start..<min(start + (1 << 16), train.rows)
            RowKeys.rowHashes(trainKeys, block, into: &hashes)
            for r in block {
                index.forEach(hashes[r - start]) { g in
                    guard equal(trainKeys, r, testKeys, Int(representative[g])) else { return }
                    copiedTargets[Int32(g), default: [:]][label(t.trainValues, t.train, r), default: 0] += 1
                }
            }
        }
        // Each copied test row's hidden label against its train twin's (the most common label
        // among the train rows it copies, as a lookup would answer): over every copied row, and
        // over the rows that copy exactly one train row (a copied row of otherwise unique data).
        var copies = 0
        var hidden: [Int64] = []
        var twin: [Int64] = []
        var hiddenSingle: [Int64] = []
        var twinSingle: [Int64] = []
        for j in 0..<test.rows {
            guard let targets = copiedTargets[groupOf[j]] else { continue }
            copies += 1
            guard t.test[j] >= 0 else { continue }  // no hidden label: its id is not in the solution
            let y = label(t.testValues, t.test, j)
            let answer = targets.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            hidden.append(y)
            twin.append(answer)
            if targets.count == 1 && targets.first!.value == 1 {
                hiddenSingle.append(y)
                twinSingle.append(answer)
            }
        }
        guard copies > 0 else { return [] }
        let rows = Double(max(test.rows, 1))
        let copyShare = Double(copies) / rows
        // In a small feature space rows repeat by nature: the test rows that repeat other test
        // rows say how many copies chance alone makes.
        let repeats = 1 - Double(representative.count) / rows
        let natural = copyShare <= 2 * repeats + 0.01
        // A leak only when the labels agree far beyond chance, on enough rows to be sure.
        let block = thresholds(name, config).block
        let all = LabelAgreement(hidden, twin)
        let single = LabelAgreement(hiddenSingle, twinSingle)
        func leaks(_ a: LabelAgreement?) -> Bool {
            guard let a, let kappa = a.kappa else { return false }
            return kappa >= block && a.chanceProbability < 0.001
        }
        let blocked = leaks(all) || leaks(single)
        let decisive = leaks(all) || !leaks(single) ? all : single
        let kappa = decisive?.kappa ?? 0
        var message = String(
            format:
                "%d test rows (%.1f%%) copy a training row feature for feature%@; %d of %d have the hidden label of "
                + "their train twin, Cohen's kappa %.2f (chance alone gives %.1f%%)",
            copies, 100 * copyShare,
            near ? " (numbers to 6 significant digits, text without case or extra spaces)" : "",
            decisive?.agreements ?? 0, decisive?.rows ?? 0, kappa, 100 * (decisive?.chance ?? 0))
        if decisive != nil && decisive == single && single != all {
            message += " over the rows that copy exactly one train row"
        }
        message +=
            blocked
            ? ": a model can look these answers up"
            : ": no more than chance explains, so a model may memorise these rows but cannot look their answers up"
        if natural {
            message += String(
                format:
                    "; %.1f%% of the test rows also repeat one another, so the feature space is small and copies are "
                    + "expected",
                100 * repeats)
        }
        var evidence = [
            "copies": Double(copies), "same_label": Double(all?.agreements ?? 0), "test_repeats": repeats,
            "kappa": all?.kappa ?? 0,
            "chance_agreement": all?.chance ?? 0, "block": block,
        ]
        if let single { evidence["kappa_single_twin"] = single.kappa ?? 0 }
        return [Finding(name: name, severity: blocked ? .block : .warning, message: message, evidence: evidence)]
    }
}
