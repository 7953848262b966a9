import Foundation
import PodiumApp
import PodiumDomain
import PodiumMetrics

extension Submitter.Receipt {
    public func text() -> String {
        let team = submission.team != submission.participant ? " (team \(submission.team))" : ""
        let late = submission.late ? " (late: scored, not ranked)" : ""
        var lines = ["submission \(submission.id) by \(submission.participant)\(team): \(submission.status)\(late)"]
        if let error { lines.append("\(error.code): \(error.description.dropFirst(error.code.rawValue.count + 2))") }
        if let run = report?.run ?? error?.run {
            lines.append(
                String(
                    format: "bundle run in the sandbox: %@, %.2f s CPU, %.2f s wall, %.0f MB peak memory",
                    run.verdict.rawValue, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        if let report {
            for split in visibleSplits {
                let values = report.scores[split] ?? []
                for (k, (name, v)) in zip(report.metrics, values).enumerated() {
                    let value = visible(split, k, v)
                    let why = v.value == nil ? v.reason ?? "" : ScoreVisibility.withheld
                    let ladder =
                        split == .public && k == 0
                        ? visibility.ladderStep.map { " (the Ladder's shown score, step \(formatScore($0)))" } ?? ""
                        : ""
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
            let wait =
                pending == 0
                ? ""
                : "; \(pending) score\(pending == 1 ? "" : "s") on it wait for a re-score on version "
                    + "\(submission.version)"
            lines.append("public leaderboard: \(now) (\(was))\(wait)")
        }
        if let remaining { lines.append(Self.remainingLine(remaining)) }
        return lines.joined(separator: "\n")
    }

    /// "3 of 5 submissions left today (the day resets at 00:00 UTC, in 4 h 12 min); 40 left in all".
    static func remainingLine(_ remaining: Submitter.Remaining) -> String {
        let total = remaining.total.map { "; \($0) left in all" } ?? ""
        return "\(remaining.today) of \(remaining.perDay) submissions left today "
            + "(the day resets at 00:00 UTC, \(Instants.timestamp(remaining.dayResetsAt)))\(total)"
    }
}
