import Checks
import Foundation
import Intake
import Metrics

/// The dataset checks of `podium check` and `podium publish`: leaks in the instructor's own
/// files (DESIGN §2; issue 5's first table). Each returns findings, never throws for a finding.
public enum DatasetChecks {
    public struct Report: Sendable {
        public var challenge: String
        public var findings: [Finding]
        public var blocked: [Finding] { findings.filter { $0.severity == .block } }
    }

    public static func run(folder: String, config: ChallengeConfig) throws(JudgeError) -> Report {
        // Raw bytes only of the columns looked up by them: ids, multiclass labels, ranking keys.
        var keep: Set<String> = [config.columns.id]
        if config.task == .multiclass { keep.insert(config.columns.target) }
        if config.task == .ranking { keep.formUnion([config.columns.query, config.columns.item]) }
        func table(_ name: String) throws(JudgeError) -> Table {
            do { return try Table.read(try ByteBuffer(mapping: "\(folder)/\(name)"), file: name, keep: keep) } catch {
                throw JudgeError(error, file: name)
            }
        }
        Trace.start()
        let train = try table("train.csv")
        Trace.mark("read train.csv")
        let test = try table("test.csv")
        Trace.mark("read test.csv")
        var findings: [Finding] = []
        if let time = config.time { findings += timeSplit(train, test, column: time.column, gap: time.gapSeconds) }
        if config.task == .ranking {
            findings += try RankingDatasetChecks.run(folder: folder, train: train, config: config)
            findings += idOverlap(train, test, id: config.columns.id, config: config)
        } else {
            let kind: TargetKind = config.task == .binary ? .binary : config.task == .regression ? .number : .category(config.classes)
            let solution: Solution
            do {
                solution = try Solution.read(try ByteBuffer(mapping: "\(folder)/solution.csv"), id: config.columns.id, target: config.columns.target, kind: kind)
            } catch {
                throw JudgeError(error, file: "solution.csv")
            }
            findings += publicPrivate(solution, task: config.task)
            let targets = DatasetTargets.read(train: train, test: test, solution: solution, config: config)
            Trace.mark("solution and targets, time_split, public_private_split")
            // Two lanes, one per core: the hashing checks, and the statistics.
            let lanes = concurrentMap(2) { lane -> [Finding] in
                var out: [Finding] = []
                if lane == 0 {
                    out += Trace.timed("id_overlap") { idOverlap(train, test, id: config.columns.id, config: config) }
                    guard let targets else { return out }
                    out += Trace.timed("duplicate_rows") { duplicateRows(train, test, targets, config: config) }
                    out += Trace.timed("near_duplicate_rows") { duplicateRows(train, test, targets, config: config, near: true) }
                } else {
                    out += Trace.timed("unseen_categories") { unseenCategories(train, test, config: config, targets: targets) }
                    guard let targets else { return out }
                    out += Trace.timed("target_leak_feature") { targetLeaks(train, test, targets, config: config) }
                    out += Trace.timed("id_order_leak") { idOrder(train, test, targets, config: config) }
                    if !targets.regression { out += Trace.timed("group_leak") { groupLeaks(train, test, targets, config: config) } }
                }
                return out
            }
            findings += lanes[0] + lanes[1]
            Trace.mark("the checks, in two lanes")
        }
        if config.task == .ranking { findings += unseenCategories(train, test, config: config) }
        return Report(challenge: config.id, findings: findings.sorted { order($0.name) < order($1.name) })
    }

    /// The order of the checks in a report (issue 5's table).
    static func order(_ name: String) -> Int {
        ["id_overlap", "duplicate_rows", "near_duplicate_rows", "target_leak_feature", "id_order_leak", "group_leak",
         "time_split", "public_private_split", "unseen_categories"].firstIndex(of: name) ?? 99
    }

    static func thresholds(_ name: String, _ config: ChallengeConfig, warn: Double, block: Double) -> (Double, Double) {
        (config.checks[name]?.warn ?? warn, config.checks[name]?.block ?? block)
    }

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

    // MARK: time_split

    static func timeSplit(_ train: Table, _ test: Table, column: String, gap: Double) -> [Finding] {
        guard let a = times(train, column), let b = times(test, column), let lastTrain = a.max(), let firstTest = b.min() else {
            return [Finding(name: "time_split", severity: .block, message: "the time column '\(column)' is missing or unreadable in train.csv or test.csv")]
        }
        let distance = firstTest - lastTrain
        if distance <= 0 || distance < gap {
            return [Finding(
                name: "time_split", severity: .block,
                message: "the earliest test time is \(describe(distance)) after the latest train time; it must be after it by at least \(describe(gap)) (\(column))",
                evidence: ["seconds_between": distance, "required_gap_seconds": gap])]
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
            for (i, text) in t.values.enumerated() { byCode[i] = parseInstant(text)?.timeIntervalSince1970 }
            var out: [Double] = []
            for c in t.codes where c >= 0 {
                guard let v = byCode[Int(c)] else { return nil }
                out.append(v)
            }
            return out
        }
    }

    // MARK: public_private_split

    static func publicPrivate(_ solution: Solution, task: Task) -> [Finding] {
        let names: [String] = task == .binary ? ["0", "1"] : task == .multiclass ? solution.classes : [""]
        func label(_ r: Int) -> Int { task == .binary ? Int(solution.binary[r]) : task == .multiclass ? Int(solution.classIndex[r]) : 0 }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: names.count), count: 2)
        for r in 0..<solution.count where solution.usage[r] != .ignored {
            counts[solution.usage[r] == .public ? 0 : 1][label(r)] += 1
        }
        var problems: [String] = []
        for (k, name) in ["Public", "Private"].enumerated() {
            let missing = names.indices.filter { counts[k][$0] == 0 }.map { names[$0] }
            if counts[k].reduce(0, +) == 0 { problems.append("no \(name) rows") }
            else if names.count > 1 && !missing.isEmpty {
                problems.append("the \(name) rows lack the class\(missing.count == 1 ? "" : "es") \(missing.prefix(5).joined(separator: ", "))")
            }
        }
        guard !problems.isEmpty else { return [] }
        return [Finding(
            name: "public_private_split", severity: .warning, message: problems.joined(separator: "; ") + "; every class should be scored on both boards",
            evidence: ["public_rows": Double(counts[0].reduce(0, +)), "private_rows": Double(counts[1].reduce(0, +))])]
    }

    // MARK: target_leak_feature

    static func targetLeaks(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("target_leak_feature", config, warn: 0.95, block: 0.999)
        var findings: [Finding] = []
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let trainY = t.classes == 2 ? t.trainBytes : [], testY = t.classes == 2 ? t.test.map { UInt8(truncatingIfNeeded: $0) } : []
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard let j = test.names.firstIndex(of: name) else { continue }
            var onTrain = 0.5, onTest = 0.5
            switch (train.columns[k], test.columns[j]) {
            case (.numbers(let a), .numbers(let b)) where t.classes == 2:
                // Numbers as they are.
                onTrain = LeakStatistics.aucStar(a, trainY, parallel: false) ?? 0.5
                onTest = LeakStatistics.aucStar(b, testY, parallel: false) ?? 0.5
            case (.numbers(let a), .numbers(let b)):
                // More classes: equal-frequency buckets of the train values, each scored by its
                // train class rates (a per-class target encoding).
                let edges = LeakStatistics.quantileEdges(a)
                (onTrain, onTest) = encodedAucStar(
                    a.map { LeakStatistics.bucket($0, edges) }, b.map { LeakStatistics.bucket($0, edges) }, buckets: edges.count + 2, t)
            case (.text(let a), .text(let b)):
                // Mostly unique text (ids, free text, undeclared timestamps) would fit any label.
                if a.values.count > train.rows / 2 { continue }
                // Categories by their train target rate; missing values are a bucket of their
                // own, categories never seen in train another (scored with the overall rate).
                let missing = a.values.count, unseen = a.values.count + 1
                let lookup = Dictionary(uniqueKeysWithValues: a.values.enumerated().map { ($1, $0) })
                let testCode = b.values.map { lookup[$0] ?? unseen }
                (onTrain, onTest) = encodedAucStar(
                    a.codes.map { $0 < 0 ? missing : Int($0) }, b.codes.map { $0 < 0 ? missing : testCode[Int($0)] }, buckets: a.values.count + 2, t)
            default:
                continue
            }
            let worst = max(onTrain, onTest)
            guard worst >= warn else {
                if let finding = missingLeak(name, train.columns[k], t) { findings.append(finding) }
                continue
            }
            findings.append(Finding(
                name: "target_leak_feature", severity: worst >= block ? .block : .warning,
                message: String(format: "the column '%@' alone separates the labels (AUC* %.4f on train, %.4f on the hidden test labels); a feature this predictive usually encodes the answer (for example, a value recorded only after the outcome)", name, onTrain, onTest),
                evidence: ["auc_star_train": onTrain, "auc_star_test": onTest, "warn": warn, "block": block]))
        }
        return findings
    }

    /// A column whose emptiness gives a class away (an aircraft's tail number is missing only
    /// for cancelled flights): on train, the empty cells are ≥ 99% one class, improbably by
    /// chance (p^n < 10⁻⁶), and cover at least 10% of that class's rows. AUC* can stay below
    /// its threshold when the rest of the class looks ordinary, so this is reported on its own,
    /// as a warning.
    static func missingLeak(_ name: String, _ column: Table.Column, _ t: DatasetTargets) -> Finding? {
        var missing = [Double](repeating: 0, count: t.classes), totals = missing
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
        let n = missing.reduce(0, +), prior = t.prior
        guard n > 0 else { return nil }
        for c in 0..<t.classes where missing[c] / n >= 0.99 && pow(prior[c], missing[c]) < 1e-6 && missing[c] >= 0.1 * totals[c] {
            let share = missing[c] / totals[c]
            let label = t.regression ? t.names[c] : "label \(t.names[c])"
            return Finding(
                name: "target_leak_feature", severity: .warning,
                message: String(format: "the column '%@' is empty in %.0f train rows, %.1f%% of them %@, which is %.1f%% of that class: its emptiness gives the label away (a value recorded only when the outcome did not happen?)", name, n, 100 * missing[c] / n, label, 100 * share),
                evidence: ["missing_rows": n, "purity": missing[c] / n, "class_share": share])
        }
        return nil
    }

    /// AUC* on train and on the hidden test labels of a bucketed feature whose buckets are
    /// scored by their train class rates (empty buckets by the overall rates).
    static func encodedAucStar(_ trainBuckets: [Int], _ testBuckets: [Int], buckets: Int, _ t: DatasetTargets) -> (Double, Double) {
        let trainCounts = contingency(trainBuckets, t.train, buckets: buckets, classes: t.classes)
        let prior = t.prior
        let scores = trainCounts.map { row -> [Double] in
            let n = row.reduce(0, +)
            return n > 0 ? row.map { $0 / n } : prior
        }
        let testCounts = contingency(testBuckets, t.test, buckets: buckets, classes: t.classes)
        return (
            LeakStatistics.bucketAucStar(counts: trainCounts, scores: scores, classes: t.classes) ?? 0.5,
            LeakStatistics.bucketAucStar(counts: testCounts, scores: scores, classes: t.classes) ?? 0.5
        )
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


    // MARK: id_order_leak

    /// AUC* of the numeric id and of the row position against the labels, on train and on the
    /// hidden test labels; and a runs test of neighbouring labels in file order.
    static func idOrder(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("id_order_leak", config, warn: 0.6, block: 0.8)
        var worst = 0.0
        var evidence: [String: Double] = ["warn": warn, "block": block]
        var what: [String] = []
        func consider(_ label: String, _ scores: [Double], _ y: [Int32]) {
            let a: Double?
            if t.classes == 2 {
                a = LeakStatistics.aucStar(scores, y.map { UInt8($0) }, parallel: false)
            } else {
                // More classes: equal-frequency buckets (at least 200 rows each, at most 64)
                // scored by their own class rates; the rows per bucket keep the in-sample
                // fit's optimism small.
                let edges = LeakStatistics.quantileEdges(scores, count: max(2, min(64, scores.count / 200)))
                a = inSampleAucStar(scores.map { LeakStatistics.bucket($0, edges) }, count: edges.count + 2, y, classes: t.classes)
            }
            guard let a else { return }
            evidence[label] = a
            if a >= warn { what.append(String(format: "%@ (AUC* %.3f)", label.replacingOccurrences(of: "_", with: " "), a)) }
            worst = max(worst, a)
        }
        if case .numbers(let ids)? = train.column(config.columns.id) { consider("id_auc_star_train", ids, t.train) }
        if case .numbers(let ids)? = test.column(config.columns.id) { consider("id_auc_star_test", ids, t.test) }
        consider("row_position_auc_star_train", (0..<train.rows).map(Double.init), t.train)
        consider("row_position_auc_star_test", (0..<test.rows).map(Double.init), t.test)
        // Wald–Wolfowitz runs test on the labels in file order (train, then test); with more
        // classes, on each class of at least 5% against the rest.
        var z = 0.0
        for (label, y) in [("train", t.train), ("test", t.test)] {
            for c in (t.classes == 2 ? [Int32(1)] : (0..<Int32(t.classes)).map { $0 }) {
                let n1 = Double(y.filter { $0 == c }.count), n0 = Double(y.count) - n1, n = n0 + n1
                guard n1 > 0, n0 > 0, t.classes == 2 || n1 >= 0.05 * n else { continue }
                let runs = 1 + Double(zip(y, y.dropFirst()).filter { ($0 == c) != ($1 == c) }.count)
                let mean = 2 * n0 * n1 / n + 1
                let variance = (mean - 1) * (mean - 2) / (n - 1)
                let zz = variance > 0 ? (runs - mean) / variance.squareRoot() : 0
                evidence["runs_z_\(label)"] = min(evidence["runs_z_\(label)"] ?? 0, zz)
                if zz < -4 { what.append(String(format: "labels of neighbouring %@ rows cluster (runs test z = %.1f)", label, zz)) }
                z = min(z, zz)
            }
        }
        guard worst >= warn || z < -4 else { return [] }
        let severity: Severity = worst >= block || z < -8 ? .block : .warning
        return [Finding(
            name: "id_order_leak", severity: severity,
            message: "the order of the rows or their ids says something about the label: " + what.joined(separator: "; ") + "; shuffle the rows and assign random ids",
            evidence: evidence)]
    }

    // MARK: group_leak

    /// For each categorical column with repeats: the share of Private rows whose group is at
    /// least 99% one class in train and Public (a purity unlikely by chance: p^n < 0.001) and
    /// which carry that class — counted within the rows of each class no more frequent than half.
    static func groupLeaks(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("group_leak", config, warn: 0.05, block: 0.2)
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let time = config.time?.column { skip.insert(time) }
        guard t.usage.contains(.private) else { return [] }
        let prior = t.prior, classes = t.classes
        var findings: [Finding] = []
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard case .text(let a) = train.columns[k], let j = test.names.firstIndex(of: name), case .text(let b) = test.columns[j] else { continue }
            if a.values.count > train.rows / 2 { continue }
            var counts: [String: [Double]] = [:]  // group → rows per class, over train and Public
            for (c, y) in zip(a.codes, t.train) where c >= 0 && y >= 0 {
                counts[a.values[Int(c)], default: [Double](repeating: 0, count: classes)][Int(y)] += 1
            }
            for r in 0..<test.rows where t.usage[r] == .public && b.codes[r] >= 0 && t.test[r] >= 0 {
                counts[b.values[Int(b.codes[r])], default: [Double](repeating: 0, count: classes)][Int(t.test[r])] += 1
            }
            var pure: [String: Int32] = [:]
            for (g, row) in counts {
                let n = row.reduce(0, +)
                guard n >= 2 else { continue }
                for c in 0..<classes where row[c] / n >= 0.99 && pow(prior[c], row[c]) < 0.001 { pure[g] = Int32(c) }
            }
            // A pure group of a majority label says little (on imbalanced data most groups are
            // mostly negative): count, for each class no more frequent than half, the share of
            // its Private rows that a pure group of that class gives away.
            var share = 0.0
            for c in 0..<classes where prior[c] <= 0.5 + 1e-9 {
                var rows = 0, hits = 0
                for r in 0..<test.rows where t.usage[r] == .private && t.test[r] == Int32(c) {
                    rows += 1
                    if b.codes[r] >= 0, pure[b.values[Int(b.codes[r])]] == Int32(c) { hits += 1 }
                }
                if rows > 0 { share = max(share, Double(hits) / Double(rows)) }
            }
            guard share >= warn else { continue }
            findings.append(Finding(
                name: "group_leak", severity: share >= block ? .block : .warning,
                message: String(format: "%.1f%% of the Private rows of a rarer class belong to a '%@' group whose label is fixed in train and Public (%d pure groups); a model can look their answers up instead of learning them — split by group", 100 * share, name, pure.count),
                evidence: ["share": share, "pure_groups": Double(pure.count), "warn": warn, "block": block]))
        }
        return findings
    }

    // MARK: unseen_categories

    static func unseenCategories(_ train: Table, _ test: Table, config: ChallengeConfig, targets: DatasetTargets? = nil) -> [Finding] {
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let t = config.time?.column { skip.insert(t) }
        var parts: [String] = []
        var total = 0.0
        // Hidden labels of classes train never shows.
        if let targets, config.task == .multiclass {
            let known = Set(targets.train)
            let unseen = Set(targets.test.filter { $0 >= 0 && !known.contains($0) }).sorted().map { targets.names[Int($0)] }
            if !unseen.isEmpty {
                parts.append("labels: \(unseen.count) (first: \(unseen.prefix(3).joined(separator: ", ")))")
                total += Double(unseen.count)
            }
        }
        for (j, name) in test.names.enumerated() where !skip.contains(name) {
            guard case .text(let b) = test.columns[j], case .text(let a)? = train.column(name) else { continue }
            if b.values.count > test.rows / 2 { continue }  // free text
            let known = Set(a.values)
            let unseen = b.values.filter { !known.contains($0) }
            if !unseen.isEmpty {
                parts.append("'\(name)': \(unseen.count) (first: \(unseen.prefix(3).joined(separator: ", ")))")
                total += Double(unseen.count)
            }
        }
        guard !parts.isEmpty else { return [] }
        return [Finding(name: "unseen_categories", severity: .warning, message: "test values never seen in train: " + parts.joined(separator: "; "), evidence: ["unseen_values": total])]
    }
}

extension DatasetChecks.Report {
    public func json() -> JSONValue {
        .object([
            ("challenge", .string(challenge)), ("blocked", .bool(!blocked.isEmpty)),
            ("findings", .array(findings.map { $0.json() })),
        ])
    }

    public func text() -> String {
        guard !findings.isEmpty else { return "\(challenge): no leak or time-split problem found" }
        var lines = ["\(challenge): \(findings.count) finding\(findings.count == 1 ? "" : "s")\(blocked.isEmpty ? "" : ", \(blocked.count) blocking")"]
        for f in findings { lines.append("  [\(f.severity.rawValue)] \(f.name): \(f.message)") }
        return lines.joined(separator: "\n")
    }
}
