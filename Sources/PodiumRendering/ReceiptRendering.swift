import Foundation
import PodiumApp
import PodiumDomain
import PodiumMetrics

extension Submitter.Receipt {
    /// A score the student may see: private ones only after the close (never asked for before),
    /// public ones through `ScoreVisibility` (metric `k`; the primary is the first).
    func visible(_ split: Split, _ k: Int, _ outcome: Outcome) -> Double? {
        split == .public ? visibility.publicValue(exact: outcome.value, shown: shown, primary: k == 0) : outcome.value
    }

    /// What the student sees: never a private score before the close.
    public func json() -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("status", .string(submission.status.rawValue)),
            ("submission", .integer(Int(submission.id))),
            ("participant", .string(submission.participant)),
            ("team", .string(submission.team)),
            ("late", .bool(submission.late)),
            ("held", .bool(submission.held)),
        ]
        if let report {
            var scores: [(String, JSONValue)] = []
            for split in revealPrivate ? [Split.public, .private] : [.public] {
                let values = report.scores[split] ?? []
                scores.append((split.rawValue, .object(zip(report.metrics, values).enumerated().map { k, pair in
                    (pair.0, visible(split, k, pair.1).map(JSONValue.number) ?? .null)
                })))
            }
            pairs.append(("primary", .string(report.primary)))
            if let step = visibility.ladderStep { pairs.append(("ladder_step", .number(step))) }
            pairs.append(("scores", .object(scores)))
            pairs.append(("warnings", .array(report.warnings.map(JSONValue.string))))
            pairs.append(("checks", .array(report.checks.map { $0.json() })))
        }
        if let error { pairs.append(("error", error.json().objectValue("error") ?? .null)) }
        pairs.append(("rank", .object([
            ("before", rankBefore.map(JSONValue.integer) ?? .null), ("after", rankAfter.map(JSONValue.integer) ?? .null),
            ("of", .integer(teamCount)), ("pending", .integer(pending)),
        ])))
        return .object(pairs)
    }

    public func text() -> String {
        var lines = ["submission \(submission.id) by \(submission.participant)\(submission.team != submission.participant ? " (team \(submission.team))" : ""): \(submission.status)\(submission.late ? " (late: scored, not ranked)" : "")"]
        if let error { lines.append("\(error.code): \(error.description.dropFirst(error.code.rawValue.count + 2))") }
        if let run = report?.run ?? error?.run {
            lines.append(String(format: "bundle run in the sandbox: %@, %.2f s CPU, %.2f s wall, %.0f MB peak memory", run.verdict.rawValue, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let report {
            for split in revealPrivate ? [Split.public, .private] : [.public] {
                let values = report.scores[split] ?? []
                for (k, (name, v)) in zip(report.metrics, values).enumerated() {
                    let value = visible(split, k, v)
                    let why = v.value == nil ? v.reason ?? "" : ScoreVisibility.withheld
                    let ladder = split == .public && k == 0 ? visibility.ladderStep.map { " (the Ladder's shown score, step \(formatScore($0)))" } ?? "" : ""
                    lines.append("\(split.rawValue) \(name): \(value.map { formatScore($0) + ladder } ?? "— (\(why))")")
                }
            }
            for w in report.warnings { lines.append("warning: \(w)") }
            for c in report.checks { lines.append("check \(c.name): \(c.message)") }
        }
        if submission.held {
            lines.append("held off the public leaderboard until an instructor clears it (see the checks above)")
        } else if !submission.late && submission.status == .scored {
            let now = rankAfter.map { "rank \($0) of \(teamCount)" } ?? "not on the board"
            let was = rankBefore.map { "was \($0)" } ?? "new on the board"
            let wait = pending == 0 ? "" : "; \(pending) score\(pending == 1 ? "" : "s") on it wait for a re-score on version \(submission.version)"
            lines.append("public leaderboard: \(now) (\(was))\(wait)")
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONValue {
    /// The value under `key` of an object.
    func objectValue(_ key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

import PodiumMetrics
