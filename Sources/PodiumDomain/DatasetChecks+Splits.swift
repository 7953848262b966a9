import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumTables

/// `group_leak`, `public_private_split` and `unseen_categories`: how the data was split.
extension DatasetChecks {
    // MARK: group_leak

    /// For each categorical column with repeats: the share of Private rows whose group is at
    /// least 99% one class in train and Public (a purity unlikely by chance: p^n < 0.001) and
    /// which carry that class — counted within the rows of each class no more frequent than half.
    static func groupLeaks(_ train: Table, _ test: Table, _ t: DatasetTargets, config: ChallengeConfig) -> [Finding] {
        let (warn, block) = thresholds(.groupLeak, config)
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let time = config.time?.column { skip.insert(time) }
        guard t.usage.contains(.private) else { return [] }
        let prior = t.prior
        let classes = t.classes
        var findings: [Finding] = []
        for (k, name) in train.names.enumerated() where !skip.contains(name) {
            guard case .text(let a) = train.columns[k], let j = test.names.firstIndex(of: name),
                case .text(let b) = test.columns[j]
            else { continue }
            // Only a group with a Private row can give one away: groups are the test values,
            // and each counts its rows per class over train and Public. A value seen once says
            // nothing (n ≥ 2 below), so a column of mostly one-off values is looked at through
            // its repeated ones — however few they are.
            let lookup = Dictionary(uniqueKeysWithValues: b.values.enumerated().map { ($1, Int32($0)) })
            let group = a.values.map { lookup[$0] ?? -1 }
            var counts = [Double](repeating: 0, count: b.values.count * classes)
            for (c, y) in zip(a.codes, t.train) where c >= 0 && y >= 0 {
                let g = group[Int(c)]
                if g >= 0 { counts[Int(g) * classes + Int(y)] += 1 }
            }
            for r in 0..<test.rows where t.usage[r] == .public && b.codes[r] >= 0 && t.test[r] >= 0 {
                counts[Int(b.codes[r]) * classes + Int(t.test[r])] += 1
            }
            var pure = [Int32](repeating: -1, count: b.values.count)
            var pureGroups = 0
            for g in 0..<b.values.count {
                let n = counts[g * classes..<(g + 1) * classes].reduce(0, +)
                guard n >= 2 else { continue }
                for c in 0..<classes
                where counts[g * classes + c] / n >= 0.99 && pow(prior[c], counts[g * classes + c]) < 0.001 {
                    pure[g] = Int32(c)
                }
                if pure[g] >= 0 { pureGroups += 1 }
            }
            // A pure group of a majority label says little (on imbalanced data most groups are
            // mostly negative): count, for each class no more frequent than half, the share of
            // its Private rows that a pure group of that class gives away.
            var share = 0.0
            for c in 0..<classes where prior[c] <= 0.5 + 1e-9 {
                var rows = 0
                var hits = 0
                for r in 0..<test.rows where t.usage[r] == .private && t.test[r] == Int32(c) {
                    rows += 1
                    if b.codes[r] >= 0, pure[Int(b.codes[r])] == Int32(c) { hits += 1 }
                }
                if rows > 0 { share = max(share, Double(hits) / Double(rows)) }
            }
            guard share >= warn else { continue }
            findings.append(
                Finding(
                    name: .groupLeak, severity: share >= block ? .block : .warning,
                    message: String(
                        format:
                            "%.1f%% of the Private rows of a rarer class belong to a '%@' group whose label is fixed "
                            + "in train and Public (%d pure groups among the test's values); a model can look "
                            + "their answers up instead of learning them — split by group",
                        100 * share, name, pureGroups),
                    evidence: ["share": share, "pure_groups": Double(pureGroups), "warn": warn, "block": block]))
        }
        return findings
    }

    // MARK: public_private_split

    static func publicPrivate(_ solution: Solution, task: TaskKind) -> [Finding] {
        let names: [String] = task == .binary ? ["0", "1"] : task == .multiclass ? solution.classes : [""]
        func label(_ r: Int) -> Int {
            task == .binary ? Int(solution.binary[r]) : task == .multiclass ? Int(solution.classIndex[r]) : 0
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: names.count), count: 2)
        for r in 0..<solution.count where solution.usage[r] != .ignored {
            counts[solution.usage[r] == .public ? 0 : 1][label(r)] += 1
        }
        var problems: [String] = []
        for (k, name) in ["Public", "Private"].enumerated() {
            let missing = names.indices.filter { counts[k][$0] == 0 }.map { names[$0] }
            if counts[k].reduce(0, +) == 0 {
                problems.append("no \(name) rows")
            } else if names.count > 1 && !missing.isEmpty {
                problems.append(
                    "the \(name) rows lack the class\(missing.count == 1 ? "" : "es") "
                        + "\(missing.prefix(5).joined(separator: ", "))"
                )
            }
        }
        guard !problems.isEmpty else { return [] }
        return [
            Finding(
                name: .publicPrivateSplit, severity: .warning,
                message: problems.joined(separator: "; ") + "; every class should be scored on both boards",
                evidence: [
                    "public_rows": Double(counts[0].reduce(0, +)), "private_rows": Double(counts[1].reduce(0, +)),
                ])
        ]
    }

    // MARK: unseen_categories

    static func unseenCategories(_ train: Table, _ test: Table, config: ChallengeConfig, targets: DatasetTargets? = nil)
        -> [Finding]
    {
        var skip: Set<String> = [config.columns.id, config.columns.target]
        if let t = config.time?.column { skip.insert(t) }
        var parts: [String] = []
        var total = 0.0
        // Hidden labels of classes train never shows.
        if let targets, config.task == .multiclass {
            let known = Set(targets.train)
            let unseen = Set(targets.test.filter { $0 >= 0 && !known.contains($0) }).sorted().map {
                targets.names[Int($0)]
            }
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
        return [
            Finding(
                name: .unseenCategories, severity: .warning,
                message: "test values never seen in train: " + parts.joined(separator: "; "),
                evidence: ["unseen_values": total])
        ]
    }
}
