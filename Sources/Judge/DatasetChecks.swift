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
        func table(_ name: String) throws(JudgeError) -> Table {
            do { return try Table.read(try ByteBuffer(mapping: "\(folder)/\(name)"), file: name) } catch {
                throw JudgeError(error, file: name)
            }
        }
        let train = try table("train.csv")
        let test = try table("test.csv")
        var findings: [Finding] = []
        let id = config.columns.id
        findings += idOverlap(train, test, id: id, config: config)
        if let time = config.time { findings += timeSplit(train, test, column: time.column, gap: time.gapSeconds) }
        if config.task == .binary {
            let solution: Solution
            do {
                solution = try Solution.read(try ByteBuffer(mapping: "\(folder)/solution.csv"), id: id, target: config.columns.target, kind: .binary)
            } catch {
                throw JudgeError(error, file: "solution.csv")
            }
            let testLabels = labels(of: test, id: id, solution: solution)
            findings += publicPrivate(solution)
            if let trainLabels = trainLabels(train, config.columns.target), let testLabels {
                findings += targetLeaks(train, trainLabels, test, testLabels, config: config)
                findings += duplicateRows(train, trainLabels, test, testLabels, config: config)
                findings += duplicateRows(train, trainLabels, test, testLabels, config: config, near: true)
                findings += idOrder(train, trainLabels, test, testLabels, config: config)
                if let usage = usage(of: test, id: id, solution: solution) {
                    findings += groupLeaks(train, trainLabels, test, testLabels, usage, config: config)
                }
            }
        }
        findings += unseenCategories(train, test, config: config)
        return Report(challenge: config.id, findings: findings)
    }

    static func thresholds(_ name: String, _ config: ChallengeConfig, warn: Double, block: Double) -> (Double, Double) {
        (config.checks[name]?.warn ?? warn, config.checks[name]?.block ?? block)
    }

    // MARK: id_overlap

    static func idOverlap(_ train: Table, _ test: Table, id: String, config: ChallengeConfig) -> [Finding] {
        guard case .text(let trainIds)? = textOrCodes(train, id), case .text(let testIds)? = textOrCodes(test, id) else { return [] }
        let known = Set(trainIds.values)
        let shared = testIds.values.filter(known.contains)
        guard !shared.isEmpty else { return [] }
        return [Finding(
            name: "id_overlap", severity: .block,
            message: "\(shared.count) test ids also appear in train.csv (first: \(shared.prefix(5).joined(separator: ", "))); a test row must not be a training row",
            evidence: ["shared_ids": Double(shared.count), "share": Double(shared.count) / Double(max(test.rows, 1))])]
    }

    /// A column as text codes (numbers are turned into text too, for id comparisons).
    static func textOrCodes(_ table: Table, _ name: String) -> Table.Column? {
        guard let k = table.names.firstIndex(of: name) else { return nil }
        if case .text = table.columns[k] { return table.columns[k] }
        var values: [String] = []
        values.reserveCapacity(table.rows)
        for r in 0..<table.rows { values.append(String(decoding: table.cell(r, k), as: UTF8.self)) }
        return .text(TextColumn(strings: values))
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

    static func publicPrivate(_ solution: Solution) -> [Finding] {
        var counts = [[0, 0], [0, 0]]
        for (u, y) in zip(solution.usage, solution.binary) where u != .ignored {
            counts[u == .public ? 0 : 1][Int(y)] += 1
        }
        var problems: [String] = []
        for (k, name) in ["Public", "Private"].enumerated() {
            if counts[k][0] + counts[k][1] == 0 { problems.append("no \(name) rows") }
            else if counts[k][0] == 0 || counts[k][1] == 0 { problems.append("the \(name) rows hold one class only") }
        }
        guard !problems.isEmpty else { return [] }
        return [Finding(
            name: "public_private_split", severity: .warning, message: problems.joined(separator: "; "),
            evidence: ["public_rows": Double(counts[0][0] + counts[0][1]), "private_rows": Double(counts[1][0] + counts[1][1])])]
    }

    // MARK: target_leak_feature

    static func trainLabels(_ train: Table, _ target: String) -> [UInt8]? {
        guard case .numbers(let v)? = train.column(target), v.allSatisfy({ $0 == 0 || $0 == 1 }) else { return nil }
        return v.map { UInt8($0) }
    }

    /// The hidden label of each test row (by id), or nil if ids do not match the solution.
    static func labels(of test: Table, id: String, solution: Solution) -> [UInt8]? {
        guard let k = test.names.firstIndex(of: id) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(test.rows)
        for r in 0..<test.rows {
            guard let row = solution.locate(test.cell(r, k)) else { return nil }
            out.append(solution.binary[row])
        }
        return out
    }

    static func targetLeaks(_ train: Table, _ trainY: [UInt8], _ test: Table, _ testY: [UInt8], config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("target_leak_feature", config, warn: 0.95, block: 0.999)
        var findings: [Finding] = []
        let skip: Set<String> = [config.columns.id, config.columns.target]
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard let j = test.names.firstIndex(of: name) else { continue }
            var trainScore: [Double], testScore: [Double]
            switch (train.columns[k], test.columns[j]) {
            case (.numbers(let a), .numbers(let b)):
                trainScore = a
                testScore = b
            case (.text(let a), _):
                // Mostly unique text (ids, free text, undeclared timestamps) would fit any label.
                if a.values.count > train.rows / 2 { continue }
                let rates = LeakStatistics.categoryRates(a.codes, trainY, categories: a.values.count)
                trainScore = a.codes.map { $0 < 0 ? rates.missing : rates.rates[Int($0)] }
                let lookup = Dictionary(uniqueKeysWithValues: a.values.enumerated().map { ($1, $0) })
                switch test.columns[j] {
                case .text(let b):
                    testScore = b.codes.map { c in
                        c < 0 ? rates.missing : lookup[b.values[Int(c)]].map { rates.rates[$0] } ?? rates.prior
                    }
                case .numbers:
                    continue
                }
            default:
                continue
            }
            let onTrain = LeakStatistics.aucStar(trainScore, trainY) ?? 0.5
            let onTest = LeakStatistics.aucStar(testScore, testY) ?? 0.5
            let worst = max(onTrain, onTest)
            guard worst >= warn else { continue }
            findings.append(Finding(
                name: "target_leak_feature", severity: worst >= block ? .block : .warning,
                message: String(format: "the column '%@' alone separates the labels (AUC* %.4f on train, %.4f on the hidden test labels); a feature this predictive usually encodes the answer (for example, a value recorded only after the outcome)", name, onTrain, onTest),
                evidence: ["auc_star_train": onTrain, "auc_star_test": onTest, "warn": warn, "block": block]))
        }
        return findings
    }

    // MARK: duplicate_rows

    /// Exact copies, or with `near` copies after rounding numbers to 6 significant digits and
    /// normalising text (case, whitespace).
    static func duplicateRows(_ train: Table, _ trainY: [UInt8], _ test: Table, _ testY: [UInt8], config: ChallengeConfig, near: Bool = false) -> [Finding] {
        let name = near ? "near_duplicate_rows" : "duplicate_rows"
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let shared = train.names.enumerated().compactMap { k, name -> (Int, Int)? in
            guard !skip.contains(name), let j = test.names.firstIndex(of: name) else { return nil }
            return (k, j)
        }
        guard !shared.isEmpty else { return [] }
        func key(_ t: Table, _ r: Int, _ c: Int) -> [UInt8] {
            let raw = t.cell(r, c)
            guard near else { return Array(raw) }
            if case .value(let v) = NumberParser.parse(raw) { return Array(String(format: "%.6g", v).utf8) }
            let text = String(decoding: raw, as: UTF8.self).lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            return Array(text.utf8)
        }
        func hash(_ t: Table, _ r: Int, _ columns: [Int]) -> UInt64 {
            var h: UInt64 = 0x243F_6A88_85A3_08D3
            for c in columns {
                let bytes = key(t, r, c)
                h = (h ^ bytes.withUnsafeBufferPointer { stableHash($0) }) &* 0x9E37_79B9_7F4A_7C15
            }
            return h
        }
        var trainRows: [UInt64: [Int]] = [:]
        for r in 0..<train.rows { trainRows[hash(train, r, shared.map(\.0)), default: []].append(r) }
        var copies = 0, sameLabel = 0
        var examples: [Int] = []
        for r in 0..<test.rows {
            guard let candidates = trainRows[hash(test, r, shared.map(\.1))] else { continue }
            // Confirm on the original bytes.
            guard let match = candidates.first(where: { t in shared.allSatisfy { key(train, t, $0.0) == key(test, r, $0.1) } }) else { continue }
            copies += 1
            if trainY[match] == testY[r] { sameLabel += 1 }
            if examples.count < 5 { examples.append(r) }
        }
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
    static func idOrder(_ train: Table, _ trainY: [UInt8], _ test: Table, _ testY: [UInt8], config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("id_order_leak", config, warn: 0.6, block: 0.8)
        var worst = 0.0
        var evidence: [String: Double] = ["warn": warn, "block": block]
        var what: [String] = []
        func consider(_ label: String, _ scores: [Double], _ y: [UInt8]) {
            guard let a = LeakStatistics.aucStar(scores, y) else { return }
            evidence[label] = a
            if a >= warn { what.append(String(format: "%@ (AUC* %.3f)", label.replacingOccurrences(of: "_", with: " "), a)) }
            worst = max(worst, a)
        }
        if case .numbers(let ids)? = train.column(config.columns.id) { consider("id_auc_star_train", ids, trainY) }
        if case .numbers(let ids)? = test.column(config.columns.id) { consider("id_auc_star_test", ids, testY) }
        consider("row_position_auc_star_train", (0..<train.rows).map(Double.init), trainY)
        consider("row_position_auc_star_test", (0..<test.rows).map(Double.init), testY)
        // Wald–Wolfowitz runs test on the labels in file order (train, then test).
        var z = 0.0
        for (label, y) in [("train", trainY), ("test", testY)] {
            let n1 = Double(y.filter { $0 == 1 }.count), n0 = Double(y.count) - n1, n = n0 + n1
            guard n1 > 0, n0 > 0 else { continue }
            let runs = 1 + Double(zip(y, y.dropFirst()).filter { $0 != $1 }.count)
            let mean = 2 * n0 * n1 / n + 1
            let variance = (mean - 1) * (mean - 2) / (n - 1)
            let zz = variance > 0 ? (runs - mean) / variance.squareRoot() : 0
            evidence["runs_z_\(label)"] = zz
            if zz < -4 { what.append(String(format: "labels of neighbouring %@ rows cluster (runs test z = %.1f)", label, zz)) }
            z = min(z, zz)
        }
        guard worst >= warn || z < -4 else { return [] }
        let severity: Severity = worst >= block || z < -8 ? .block : .warning
        return [Finding(
            name: "id_order_leak", severity: severity,
            message: "the order of the rows or their ids says something about the label: " + what.joined(separator: "; ") + "; shuffle the rows and assign random ids",
            evidence: evidence)]
    }

    // MARK: group_leak

    static func usage(of test: Table, id: String, solution: Solution) -> [Usage]? {
        guard let k = test.names.firstIndex(of: id) else { return nil }
        var out: [Usage] = []
        for r in 0..<test.rows {
            guard let row = solution.locate(test.cell(r, k)) else { return nil }
            out.append(solution.usage[row])
        }
        return out
    }

    /// For each categorical column with repeats: the share of Private rows whose group is at
    /// least 99% one label in train and Public (a purity unlikely by chance: p^n < 0.001) and
    /// which carry that label — counted within the rows of the less frequent label.
    static func groupLeaks(_ train: Table, _ trainY: [UInt8], _ test: Table, _ testY: [UInt8], _ usage: [Usage], config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds("group_leak", config, warn: 0.05, block: 0.2)
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let t = config.time?.column { skip.insert(t) }
        let privateRows = usage.filter { $0 == .private }.count
        guard privateRows > 0 else { return [] }
        let prior = Double(trainY.reduce(0) { $0 + Int($1) }) / Double(max(trainY.count, 1))
        var findings: [Finding] = []
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard case .text(let a) = train.columns[k], let j = test.names.firstIndex(of: name), case .text(let b) = test.columns[j] else { continue }
            if a.values.count > train.rows / 2 { continue }
            var counts: [String: (Double, Double)] = [:]  // group → (rows, positives) over train and Public
            for (c, y) in zip(a.codes, trainY) where c >= 0 {
                let g = a.values[Int(c)]
                counts[g, default: (0, 0)].0 += 1
                counts[g, default: (0, 0)].1 += Double(y)
            }
            for r in 0..<test.rows where usage[r] == .public && b.codes[r] >= 0 {
                let g = b.values[Int(b.codes[r])]
                counts[g, default: (0, 0)].0 += 1
                counts[g, default: (0, 0)].1 += Double(testY[r])
            }
            var pure: [String: UInt8] = [:]
            for (g, (n, pos)) in counts where n >= 2 {
                let share = pos / n
                if share >= 0.99 && pow(prior, n * share) < 0.001 { pure[g] = 1 }
                if share <= 0.01 && pow(1 - prior, n * (1 - share)) < 0.001 { pure[g] = 0 }
            }
            // A pure group of the majority label says little on imbalanced data (most groups are
            // mostly negative): count, for each label no more frequent than the other, the share
            // of its Private rows that a pure group of that label gives away.
            var share = 0.0
            for label in [UInt8(0), 1] where (label == 1 ? prior : 1 - prior) <= 0.5 + 1e-9 {
                var rows = 0, hits = 0
                for r in 0..<test.rows where usage[r] == .private && testY[r] == label {
                    rows += 1
                    if b.codes[r] >= 0, pure[b.values[Int(b.codes[r])]] == label { hits += 1 }
                }
                if rows > 0 { share = max(share, Double(hits) / Double(rows)) }
            }
            guard share >= warn else { continue }
            findings.append(Finding(
                name: "group_leak", severity: share >= block ? .block : .warning,
                message: String(format: "%.1f%% of the Private rows of the rarer label belong to a '%@' group whose label is fixed in train and Public (%d pure groups); a model can look their answers up instead of learning them — split by group", 100 * share, name, pure.count),
                evidence: ["share": share, "pure_groups": Double(pure.count), "warn": warn, "block": block]))
        }
        return findings
    }

    // MARK: unseen_categories

    static func unseenCategories(_ train: Table, _ test: Table, config: ChallengeConfig) -> [Finding] {
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let t = config.time?.column { skip.insert(t) }
        var parts: [String] = []
        var total = 0.0
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
