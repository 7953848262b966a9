import Foundation
import PodiumDomain

/// The text of the remote verbs: the same lines the local commands print (PodiumRendering),
/// written from the server's bodies.
public enum RemoteText {
    /// `podium challenges` (CatalogText.table).
    public static func challenges(_ list: [RemoteChallenge], server: String) -> String {
        guard !list.isEmpty else { return "no challenge is published on \(server)" }
        return list.map { c in
            var line = "\(oneLine(c.id))  \(c.state)  \(oneLine(c.title))"
            line +=
                "  (\(c.task), \(c.metric) \(c.higherIsBetter ? "higher" : "lower") is better, version \(c.version))"
            if let closes = c.closes { line += "  closes \(closes)" }
            if let left = c.remainingToday { line += "  \(left) of \(c.perDay) left today" }
            return line
        }.joined(separator: "\n")
    }

    /// `podium info` (CatalogText.info).
    public static func info(_ c: RemoteChallenge) -> String {
        var lines = [
            "\(oneLine(c.id)): \(oneLine(c.title))",
            "state: \(c.state) (version \(c.version))",
            "task: \(c.task), scored by \(c.metric) (\(c.higherIsBetter ? "higher" : "lower") is better)",
            "opens: \(c.opens ?? "—"), closes: \(c.closes ?? "—")",
            "limits: \(c.perDay) submissions a day (UTC), " + (c.total.map { "\($0) in all" } ?? "no total cap")
                + ", \(c.final) final selections; takes \(c.kinds.joined(separator: " and "))",
        ]
        if let participant = c.participant, let left = c.remainingToday {
            let who = c.team.map { $0 != participant ? "\(participant) (team \($0))" : participant } ?? participant
            var line = "\(who): \(left) of \(c.perDay) left today, the day resets at \(c.dayResetsAt ?? "00:00 UTC")"
            if let total = c.remainingTotal { line += "; \(total) left in all" }
            lines.append(line)
        }
        for file in c.files ?? [] { lines.append("file: \(file.name) (\(file.bytes) bytes, sha256 \(file.sha256))") }
        return lines.joined(separator: "\n")
    }

    /// The receipt of `podium submit` (Submitter.Receipt.text); `perDay` from the challenge.
    public static func receipt(_ s: RemoteSubmission, perDay: Int?) -> String {
        let team = s.team != s.participant ? " (team \(s.team))" : ""
        let late = s.late ? " (late: scored, not ranked)" : ""
        var lines = ["submission \(s.submission) by \(s.participant)\(team): \(s.status)\(late)"]
        if let error = s.error { lines.append("\(error.code): \(error.message)") }
        if let run = s.run {
            lines.append(
                String(
                    format: "bundle run in the sandbox: %@, %.2f s CPU, %.2f s wall, %.0f MB peak memory",
                    run.status, run.cpuSeconds, run.wallSeconds, run.peakMemoryMB))
        }
        for split in ["public", "private"] {
            guard let values = s.scores?[split] else { continue }
            // The primary metric first, then the others by name (the body's object has no order).
            let names = values.keys.sorted { a, b in a == s.primary ? true : b == s.primary ? false : a < b }
            for name in names {
                let ladder =
                    split == "public" && name == s.primary
                    ? s.ladderStep.map { " (the Ladder's shown score, step \(score($0)))" } ?? "" : ""
                lines.append("\(split) \(name): \((values[name] ?? nil).map { score($0) + ladder } ?? "—")")
            }
        }
        for w in s.warnings ?? [] { lines.append("warning: \(w)") }
        for c in s.checks ?? [] { lines.append("check \(c)") }
        if s.held {
            lines.append("held off the public leaderboard until an instructor clears it (see the checks above)")
        } else if !s.late && s.status == .scored, let rank = s.rank {
            let now = rank.after.map { "rank \($0) of \(rank.of)" } ?? "not on the board"
            let was = rank.before.map { "was \($0)" } ?? "new on the board"
            let wait =
                rank.pending == 0
                ? "" : "; \(rank.pending) score\(rank.pending == 1 ? "" : "s") on it wait for a re-score"
            lines.append("public leaderboard: \(now) (\(was))\(wait)")
        }
        if let today = s.remainingToday {
            let total = s.remainingTotal.map { "; \($0) left in all" } ?? ""
            lines.append(
                "\(today)\(perDay.map { " of \($0)" } ?? "") submissions left today "
                    + "(the day resets at 00:00 UTC, \(s.dayResetsAt ?? "00:00 UTC"))\(total)")
        }
        return lines.joined(separator: "\n")
    }

    /// `podium submissions` (SubmissionListing.text); `metric` and `version` from the challenge.
    public static func listing(_ rows: [RemoteRow], metric: String, version: Int) -> String {
        let showPrivate = rows.contains { $0.privateScore != nil }
        let pending = rows.filter(\.pending).count
        var lines = [
            "id    participant     team            submitted                 status    public "
                + "\(metric)\(showPrivate ? "  private" : "")  notes"
        ]
        func pad(_ s: String, _ n: Int) -> String {
            s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
        }
        func cell(_ value: Double?, _ row: RemoteRow) -> String {
            guard let value else { return "—" }
            return score(value) + (row.scoredVersion.map { $0 != version ? " (v\($0))" : "" } ?? "")
        }
        if let step = rows.first(where: { $0.ladderStep != nil })?.ladderStep {
            lines.insert(
                "public scores are the Ladder's (step \(score(step))): they move only when a submission beats "
                    + "the shown score by more than the step",
                at: 0)
        }
        if pending > 0 {
            lines.insert(
                "\(pending) score\(pending == 1 ? "" : "s") pending re-scoring on version \(version); a "
                    + "score marked (vN) was computed on version N",
                at: 0)
        }
        for r in rows {
            var notes: [String] = []
            if r.late { notes.append("late") }
            if r.selected { notes.append("selected") }
            if r.held { notes.append("held") }
            if let error = r.error { notes.append("\(error.code): \(oneLine(error.message))") }
            var line =
                pad("\(r.id)", 6) + pad(oneLine(r.participant), 16) + pad(oneLine(r.team), 16) + pad(r.submittedAt, 26)
                + pad(r.status, 10) + pad(cell(r.publicScore, r), 9 + metric.count)
            if showPrivate { line += pad(cell(r.privateScore ?? nil, r), 9) }
            lines.append(line + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    /// `podium leaderboard` as a table (Board.table).
    public static func board(_ b: RemoteBoard) -> String {
        let pendingNote =
            b.pending == 0
            ? ""
            : " — \(b.pending) score\(b.pending == 1 ? "" : "s") pending re-scoring on version \(b.version); a score "
                + "marked (vN) was computed on version N"
        let title =
            "\(b.challenge) — \(b.board) leaderboard, \(b.metric) (\(b.higherIsBetter ? "higher" : "lower") is better), "
            + "version \(b.version)" + (b.ladderStep.map { ", Ladder step \($0)" } ?? "") + pendingNote
        let width = max(4, b.entries.map { oneLine($0.team).count }.max() ?? 4)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        let scoreWidth = b.pending > 0 ? 18 : 12
        var lines = [
            title,
            pad("rank", 5) + pad("team", width + 2) + pad("score", scoreWidth) + pad("entries", 9) + "submitted",
        ]
        for e in b.entries {
            let tie = e.tiedWithAbove ? "  ≈ tied with the rank above" : ""
            let cell = (e.score.map(score) ?? "—") + (e.scoredVersion != b.version ? " (v\(e.scoredVersion))" : "")
            lines.append(
                pad("\(e.rank)", 5) + pad(oneLine(e.team), width + 2) + pad(cell, scoreWidth) + pad("\(e.entries)", 9)
                    + e.submittedAt + tie)
        }
        if b.entries.isEmpty { lines.append("(no ranked submissions yet)") }
        if b.entries.contains(where: \.tiedWithAbove), let note = b.tieNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    /// `podium publish`.
    public static func publish(_ p: RemotePublish) -> String {
        var lines = p.findings.map { "[\($0.severity)] \($0.name): \($0.message)" }
        if p.status == "unchanged" {
            lines.append("\(p.challenge): unchanged, already published as version \(p.version)")
        } else {
            lines.append("\(p.challenge): published version \(p.version) (\(p.contentHash.prefix(12)))")
            if p.rescoreDue {
                lines.append(
                    "the data changed: run `podium rescore \(p.challenge)` to re-score every stored submission")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `podium check` (DatasetChecks.Report.text and the flagged submissions).
    public static func check(_ r: RemoteCheck) -> String {
        let flagged = Set(r.findings.map(\.name))
        let passed = r.checksRun.filter { !flagged.contains($0) }
        let blocking = r.findings.filter { $0.severity == "block" && r.allowed[$0.name] == nil }.count
        var lines = [
            r.findings.isEmpty
                ? "\(r.challenge): no leak or time-split problem found"
                : "\(r.challenge): \(r.findings.count) finding\(r.findings.count == 1 ? "" : "s")"
                    + (blocking == 0 ? "" : ", \(blocking) blocking")
        ]
        for f in r.findings {
            let allowance = f.severity == "block" ? r.allowed[f.name].map { ", allowed: \($0)" } ?? "" : ""
            lines.append("  [\(f.severity)\(allowance)] \(f.name): \(f.message)")
        }
        if !passed.isEmpty { lines.append("  passed: " + passed.joined(separator: ", ")) }
        if let list = r.flaggedSubmissions {
            lines.append(list.isEmpty ? "no flagged submissions" : "flagged submissions:")
            for f in list { lines.append("  \(f.id) \(f.participant): \(f.checks.joined(separator: ", "))") }
        }
        return lines.joined(separator: "\n")
    }

    /// `podium rescore` (Rescorer.Summary.text).
    public static func rescore(_ s: RemoteJob.Summary) -> String {
        var lines = [
            "\(s.dryRun == true ? "dry run: would re-score" : "re-scored") \(s.pending) submission"
                + "\(s.pending == 1 ? "" : "s") against version \(s.version) in \(String(format: "%.1f", s.seconds)) s: "
                + "\(s.scored) scored, \(s.rejected) rejected, \(s.failed) failed",
            "\(s.moves.count) team\(s.moves.count == 1 ? "" : "s") changed rank on the public board",
        ]
        for m in s.moves.prefix(10) {
            lines.append("  \(m.team): \(m.before.map(String.init) ?? "—") → \(m.after.map(String.init) ?? "—")")
        }
        return lines.joined(separator: "\n")
    }

    /// A score as the local text writes it.
    public static func score(_ v: Double) -> String { String(format: "%.6f", v) }

    /// One line of `s` (PodiumDomain's `OneLine`).
    static func oneLine(_ s: String) -> String { OneLine.of(s) }
}
