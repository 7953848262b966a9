import Foundation
import PodiumChecks
import PodiumMetrics
import PodiumParallel
import PodiumTables

/// The dataset checks of `podium check` and `podium publish`: leaks in the instructor's own
/// files (DESIGN §2; issue 5's first table). Each returns findings, never throws for a finding.
public enum DatasetChecks {
    public struct Report: Sendable {
        public var challenge: String
        public var findings: [Finding]
        /// The checks that ran on this challenge (which ones apply depends on the task).
        public var checksRun: [CheckName] = []
        public var blocked: [Finding] { findings.filter { $0.severity == .block } }
        /// For a published challenge: the blocking checks its version was published over
        /// (`publish --allow NAME --reason TEXT`), check name → reason.
        public var allowed: [CheckName: String] = [:]
        /// The blocking findings not allowed: what `publish` would refuse.
        public var refused: [Finding] { blocked.filter { allowed[$0.name] == nil } }
    }

    public static func run(folder: String, config: ChallengeConfig, parallelism: Parallelism = .allCores)
        throws(JudgeError) -> Report
    {
        let reading = Reading(parallelism: parallelism)
        // Raw bytes only of the columns looked up by them: ids, multiclass labels, ranking keys.
        var keep: Set<String> = [config.columns.id]
        if config.task == .multiclass { keep.insert(config.columns.target) }
        if config.task == .ranking { keep.formUnion([config.columns.query, config.columns.item]) }
        func table(_ name: String) throws(JudgeError) -> Table {
            do {
                return try Table.read(
                    try InputBytes(mapping: "\(folder)/\(name)"), file: name, keep: keep, reading: reading)
            } catch {
                throw JudgeError(error, file: name)
            }
        }
        Trace.start()
        let train = try table("train.csv")
        Trace.mark("read train.csv")
        let test = try table("test.csv")
        Trace.mark("read test.csv")
        var findings: [Finding] = []
        var ran: [CheckName] = [.idOverlap, .publicPrivateSplit, .unseenCategories]
        if let time = config.time {
            findings += timeSplit(train, test, column: time.column, gap: time.gapSeconds)
            ran.append(.timeSplit)
        }
        if config.task == .ranking {
            findings += try RankingDatasetChecks.run(folder: folder, train: train, config: config, reading: reading)
        } else {
            let kind: TargetKind =
                config.task == .binary ? .binary : config.task == .regression ? .number : .category(config.classes)
            let solution: Solution
            do {
                solution = try Solution.read(
                    try InputBytes(mapping: "\(folder)/solution.csv"), id: config.columns.id,
                    target: config.columns.target, kind: kind,
                    reading: reading)
            } catch {
                throw JudgeError(error, file: "solution.csv")
            }
            findings += publicPrivate(solution, task: config.task)
            let rows = locate(test, solution, id: config.columns.id)
            findings += idMismatch(test, solution, rows: rows, id: config.columns.id)
            let targets = rows.flatMap {
                DatasetTargets.read(train: train, solution: solution, rows: $0, config: config)
            }
            if let targets {
                ran +=
                    [.duplicateRows, .nearDuplicateRows, .targetLeakFeature, .idOrderLeak]
                    + (targets.regression ? [] : [.groupLeak])
            } else {
                let what =
                    config.task == .binary
                    ? "of 0/1 labels" : config.task == .regression ? "of numbers, none empty" : "of labels"
                findings.append(
                    Finding(
                        name: .labelChecks, severity: .info,
                        message:
                            "train.csv has no '\(config.columns.target)' column \(what) (or test.csv no "
                            + "'\(config.columns.id)' column), so duplicate_rows, near_duplicate_rows, "
                            + "target_leak_feature, id_order_leak and group_leak did not run"
                    ))
            }
            Trace.mark("solution and targets, time_split, public_private_split")
            // Two lanes, one per core: the hashing checks, and the statistics.
            let lanes = concurrentMap(2, parallelism) { lane -> [Finding] in
                var out: [Finding] = []
                if lane == 0 {
                    out += Trace.timed("id_overlap") { idOverlap(train, test, id: config.columns.id, config: config) }
                    guard let targets else { return out }
                    out += Trace.timed("duplicate_rows") { duplicateRows(train, test, targets, config: config) }
                    out += Trace.timed("near_duplicate_rows") {
                        duplicateRows(train, test, targets, config: config, near: true)
                    }
                } else {
                    out += Trace.timed("unseen_categories") {
                        unseenCategories(train, test, config: config, targets: targets)
                    }
                    guard let targets else { return out }
                    out += Trace.timed("target_leak_feature") { targetLeaks(train, test, targets, config: config) }
                    out += Trace.timed("id_order_leak") { idOrder(train, test, targets, config: config) }
                    if !targets.regression {
                        out += Trace.timed("group_leak") { groupLeaks(train, test, targets, config: config) }
                    }
                }
                return out
            }
            findings += lanes[0] + lanes[1]
            Trace.mark("the checks, in two lanes")
        }
        if config.task == .ranking { findings += unseenCategories(train, test, config: config) }
        return Report(
            challenge: config.id, findings: findings.sorted { $0.name < $1.name }, checksRun: ran.sorted())
    }

    /// A check's thresholds: `challenge.yaml`'s override, else the default (`CheckThresholds`).
    static func thresholds(_ name: CheckName, _ config: ChallengeConfig) -> (warn: Double, block: Double) {
        let d = CheckThresholds.defaults[name] ?? CheckThresholds.Defaults(warn: nil, block: 1, statistic: "")
        return (config.checks[name]?.warn ?? d.warn ?? 0, config.checks[name]?.block ?? d.block)
    }
}

extension DatasetChecks.Report {
    public func text() -> String {
        let flagged = Set(findings.map(\.name))
        let passed = checksRun.filter { !flagged.contains($0) }
        var lines = [
            findings.isEmpty
                ? "\(challenge): no leak or time-split problem found"
                : "\(challenge): \(findings.count) "
                    + "finding\(findings.count == 1 ? "" : "s")\(refused.isEmpty ? "" : ", \(refused.count) blocking")"
        ]
        for f in findings {
            let allowance = f.severity == .block ? allowed[f.name].map { ", allowed: \($0)" } ?? "" : ""
            lines.append("  [\(f.severity.rawValue)\(allowance)] \(f.name): \(f.message)")
        }
        if !passed.isEmpty { lines.append("  passed: " + passed.map(\.rawValue).joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
