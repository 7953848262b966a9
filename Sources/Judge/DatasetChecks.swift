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
        return .text(TextColumnShim.make(values))
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

    static func duplicateRows(_ train: Table, _ trainY: [UInt8], _ test: Table, _ testY: [UInt8], config: ChallengeConfig) -> [Finding] {
        let skip: Set<String> = [config.columns.id, config.columns.target]
        let shared = train.names.enumerated().compactMap { k, name -> (Int, Int)? in
            guard !skip.contains(name), let j = test.names.firstIndex(of: name) else { return nil }
            return (k, j)
        }
        guard !shared.isEmpty else { return [] }
        func hash(_ t: Table, _ r: Int, _ columns: [Int]) -> UInt64 {
            var h: UInt64 = 0x243F_6A88_85A3_08D3
            for c in columns { h = (h ^ stableHash(t.cell(r, c))) &* 0x9E37_79B9_7F4A_7C15 }
            return h
        }
        var trainRows: [UInt64: [Int]] = [:]
        for r in 0..<train.rows { trainRows[hash(train, r, shared.map(\.0)), default: []].append(r) }
        var copies = 0, sameLabel = 0
        var examples: [Int] = []
        for r in 0..<test.rows {
            guard let candidates = trainRows[hash(test, r, shared.map(\.1))] else { continue }
            // Confirm on the original bytes.
            guard let match = candidates.first(where: { t in shared.allSatisfy { equal(train.cell(t, $0.0), test.cell(r, $0.1)) } }) else { continue }
            copies += 1
            if trainY[match] == testY[r] { sameLabel += 1 }
            if examples.count < 5 { examples.append(r) }
        }
        guard copies > 0 else { return [] }
        let share = Double(sameLabel) / Double(max(test.rows, 1))
        let (_, block) = thresholds("duplicate_rows", config, warn: 0, block: 0.05)
        return [Finding(
            name: "duplicate_rows", severity: share > block ? .block : .warning,
            message: "\(copies) test rows (\(String(format: "%.1f", 100 * Double(copies) / Double(max(test.rows, 1))))%) copy a training row feature for feature, \(sameLabel) of them with the same hidden label",
            evidence: ["copies": Double(copies), "same_label": Double(sameLabel), "same_label_share": share, "block": block])]
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
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

/// Builds a `TextColumn` from strings (ids that were read as numbers).
enum TextColumnShim {
    static func make(_ values: [String]) -> TextColumn { TextColumn(strings: values) }
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
