import Foundation
import PodiumChecks
import PodiumParallel
import PodiumTables

/// The submission checks on a model bundle's own files (issue 5's second table):
/// `bundle_contains_labels` and `bundle_training_overlap`.
public enum BundleChecks {
    public static func run(
        bundle: String, manifest: BundleManifests.Manifest, folder: String, config: ChallengeConfig,
        parallelism: Parallelism = .allCores
    ) -> [Finding] {
        var findings: [Finding] = []
        guard config.task == .binary || config.task == .multiclass || config.task == .regression else { return [] }
        let solutionPath = folder + "/solution.csv"
        guard let solutionBytes = try? InputBytes(mapping: solutionPath) else { return [] }
        let kind: TargetKind =
            config.task == .binary ? .binary : config.task == .regression ? .number : .category(config.classes)
        guard
            let solution = try? Solution.read(
                solutionBytes, id: config.columns.id, target: config.columns.target, kind: kind,
                reading: Reading(parallelism: parallelism))
        else { return [] }
        findings += containsLabels(bundle: bundle, folder: folder, solution: solution, config: config)
        findings += trainingOverlap(
            bundle: bundle, manifest: manifest, folder: folder, solution: solution, config: config)
        return findings
    }

    /// Regular files of the bundle, relative paths (the bundle was unpacked safely: no links).
    static func files(_ bundle: String) -> [String] {
        (FileManager.default.enumerator(atPath: bundle)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: bundle + "/" + path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    /// An exact copy of solution.csv, or a column of a CSV or text file that, joined on the test
    /// ids — or, without ids, on the test rows' features — agrees with the hidden labels on
    /// ≥ 99% of ≥ 100 rows, far beyond chance (Cohen's kappa ≥ 0.9: a constant column on a
    /// 1%-positive challenge does not count).
    static func containsLabels(bundle: String, folder: String, solution: Solution, config: ChallengeConfig) -> [Finding]
    {
        let solutionPath = folder + "/solution.csv"
        // Read once, if a file needs it.
        lazy var featureJoin = FeatureJoin(folder: folder, solution: solution, id: config.columns.id)
        let answer = try? InputBytes(mapping: solutionPath)
        for path in files(bundle) {
            let full = bundle + "/" + path
            if let answer, let copy = try? InputBytes(mapping: full), copy.bytes.elementsEqual(answer.bytes) {
                return [
                    Finding(
                        name: .bundleContainsLabels, severity: .block,
                        message: "the bundle's file '\(path)' is a copy of the answer key")
                ]
            }
            let lower = path.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".txt") || lower.hasSuffix(".tsv") else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
            guard size > 0, size < 512 << 20, let bytes = try? InputBytes(mapping: full),
                let table = try? Table.read(bytes, file: path)
            else { continue }
            // The column holding test ids, if any.
            var rowsBySolution: [Int]? = nil
            for k in table.names.indices {
                var matched: [Int] = []
                for r in 0..<table.rows {
                    if let s = solution.locate(table.cell(r, k)) { matched.append(s) } else { matched.append(-1) }
                }
                if matched.filter({ $0 >= 0 }).count >= 100 {
                    rowsBySolution = matched
                    break
                }
            }
            if rowsBySolution == nil {
                rowsBySolution = featureJoin?.join(table)
            }
            guard let join = rowsBySolution else { continue }
            for k in table.names.indices {
                var agree = 0
                var total = 0
                var pairs: [(String, String)] = []
                for r in 0..<table.rows where join[r] >= 0 {
                    let value = String(decoding: table.cell(r, k), as: UTF8.self)
                    let truth = label(solution, join[r])
                    total += 1
                    if normalized(value) == normalized(truth) { agree += 1 }
                    pairs.append((normalized(value), normalized(truth)))
                }
                guard total >= 100, Double(agree) / Double(total) >= 0.99 else { continue }
                let kappa = cohensKappa(pairs)
                guard kappa >= 0.9 else { continue }
                return [
                    Finding(
                        name: .bundleContainsLabels, severity: .block,
                        message: String(
                            format:
                                "the column '%@' of the bundle's file '%@' agrees with the hidden labels on %.1f%% "
                                + "of %d test rows (Cohen's kappa %.3f): the bundle carries the answers",
                            table.names[k], path, 100 * Double(agree) / Double(total), total, kappa),
                        evidence: ["agreement": Double(agree) / Double(total), "rows": Double(total), "kappa": kappa])
                ]
            }
        }
        return []
    }

    static func label(_ solution: Solution, _ row: Int) -> String {
        if !solution.binary.isEmpty { return String(solution.binary[row]) }
        if !solution.classIndex.isEmpty { return solution.classes[Int(solution.classIndex[row])] }
        return String(solution.numbers[row])
    }

    /// Numbers compared as numbers (`1`, `1.0`), text as text.
    static func normalized(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let v = Double(t) { return String(v) }
        return t
    }

    /// Cohen's kappa of two labelings.
    static func cohensKappa(_ pairs: [(String, String)]) -> Double {
        let n = Double(pairs.count)
        guard n > 0 else { return 0 }
        var a: [String: Double] = [:]
        var b: [String: Double] = [:]
        var observed = 0.0
        for (x, y) in pairs {
            a[x, default: 0] += 1
            b[y, default: 0] += 1
            if x == y { observed += 1 }
        }
        let po = observed / n
        let pe = a.reduce(0.0) { $0 + $1.value / n * (b[$1.key] ?? 0) / n }
        return pe >= 1 ? 0 : (po - pe) / (1 - pe)
    }

    /// `training.ids` that are test ids, or a `training.max_time` (or a listed row's time) at
    /// or after the first test time minus the gap.
    static func trainingOverlap(
        bundle: String, manifest: BundleManifests.Manifest, folder: String, solution: Solution, config: ChallengeConfig
    ) -> [Finding] {
        var findings: [Finding] = []
        var trainingIds: [String] = []
        if let path = manifest.trainingIds, !path.hasPrefix("/"), !path.split(separator: "/").contains(".."),
            let text = try? String(contentsOfFile: bundle + "/" + path, encoding: .utf8)
        {
            trainingIds = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            let leaked = trainingIds.filter { id in
                Array(id.utf8).withUnsafeBufferPointer { solution.locate($0) != nil }
            }
            if !leaked.isEmpty {
                findings.append(
                    Finding(
                        name: .bundleTrainingOverlap, severity: .block,
                        message:
                            "\(leaked.count) of the ids the model was trained on (\(path)) are test ids (first: "
                            + "\(leaked.prefix(5).joined(separator: ", ")))",
                        evidence: ["test_ids_in_training": Double(leaked.count)]))
            }
        }
        guard let time = config.time,
            let test = try? Table.read(try InputBytes(mapping: folder + "/test.csv"), file: "test.csv"),
            let firstTest = DatasetChecks.times(test, time.column)?.min()
        else { return findings }
        let limit = firstTest - time.gapSeconds
        if let text = manifest.trainingMaxTime, let claimed = Instants.parseInstant(text)?.timeIntervalSince1970,
            claimed >= limit
        {
            findings.append(
                Finding(
                    name: .bundleTrainingOverlap, severity: .block,
                    message:
                        "bundle.yaml says the model saw data up to \(text), at or after the first test time minus "
                        + "the gap",
                    evidence: ["max_time": claimed, "limit": limit]))
        }
        if !trainingIds.isEmpty,
            let train = try? Table.read(try InputBytes(mapping: folder + "/train.csv"), file: "train.csv"),
            let k = train.names.firstIndex(of: config.columns.id), let t = train.names.firstIndex(of: time.column)
        {
            let wanted = Set(trainingIds)
            let times = DatasetChecks.times(train, time.column)
            if let times, times.count == train.rows {
                let late = (0..<train.rows).filter {
                    wanted.contains(String(decoding: train.cell($0, k), as: UTF8.self)) && times[$0] >= limit
                }
                if !late.isEmpty {
                    findings.append(
                        Finding(
                            name: .bundleTrainingOverlap, severity: .block,
                            message:
                                "\(late.count) training rows listed by the bundle are dated at or after the first "
                                + "test time minus the gap",
                            evidence: ["late_rows": Double(late.count)]))
                }
            }
            _ = t
        }
        return findings
    }
}

/// Joins a table to the solution through test.csv's feature columns (those the table shares,
/// the id aside), numbers to 6 significant digits and text normalised, as `near_duplicate_rows`
/// compares them: a bundle's copy of the test rows with their answers, ids dropped, still joins.
struct FeatureJoin {
    let test: Table
    let idColumn: Int
    let solutionRow: [Int]

    init?(folder: String, solution: Solution, id: String) {
        guard let bytes = try? InputBytes(mapping: folder + "/test.csv"),
            let test = try? Table.read(bytes, file: "test.csv"),
            let k = test.names.firstIndex(of: id)
        else { return nil }
        self.test = test
        idColumn = k
        solutionRow = (0..<test.rows).map { solution.locate(test.cell($0, k)) ?? -1 }
    }

    /// Each row's solution row (−1 when none), or nil with fewer than 100 joined rows.
    func join(_ table: Table) -> [Int]? {
        let shared = table.names.enumerated().compactMap { k, name -> (Int, Int)? in
            guard let j = test.names.firstIndex(of: name), j != idColumn else { return nil }
            return (k, j)
        }
        guard !shared.isEmpty else { return nil }
        let keys = RowKeys(near: true)
        let testKeys = shared.map { keys.keys(test, $0.1) }
        let tableKeys = shared.map { keys.keys(table, $0.0) }
        var hashes: [UInt64] = []
        RowKeys.rowHashes(testKeys, 0..<test.rows, into: &hashes)
        var index = HashChains(test.rows)
        for (j, h) in hashes.enumerated() { index.insert(h, j) }
        RowKeys.rowHashes(tableKeys, 0..<table.rows, into: &hashes)
        var out = [Int](repeating: -1, count: table.rows)
        var joined = 0
        for r in 0..<table.rows {
            index.forEach(hashes[r]) { j in
                guard out[r] < 0, solutionRow[j] >= 0, zip(tableKeys, testKeys).allSatisfy({ $0.key(r) == $1.key(j) })
                else { return }
                out[r] = solutionRow[j]
                joined += 1
            }
        }
        return joined >= 100 ? out : nil
    }
}
