import PodiumApp
import PodiumDomain

extension SubmissionListing {
    /// A score with its version when that is not the current one.
    func cell(_ value: Double?, _ score: ScoreRecord?) -> String {
        guard let value else { return "—" }
        return formatScore(value) + (score.map { $0.version != version ? " (v\($0.version))" : "" } ?? "")
    }

    public func text() -> String {
        let header =
            "id    participant     team            submitted                 status    public "
            + "\(metric)\(showPrivate ? "  private" : "")"
        var lines = [header + (showsLadderColumn ? "  shown    " : "") + "  notes"]
        func pad(_ s: String, _ n: Int) -> String {
            s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
        }
        if let step = visibility.ladderStep {
            lines.insert(
                "public scores are the Ladder's (step \(formatScore(step))): they move only when a submission beats "
                    + "the shown score by more than the step",
                at: 0)
        }
        if !pending.isEmpty {
            lines.insert(
                "\(pending.count) score\(pending.count == 1 ? "" : "s") pending re-scoring on version \(version); a "
                    + "score marked (vN) was computed on version N",
                at: 0)
        }
        for (s, score) in rows {
            var notes: [String] = []
            if s.late { notes.append("late") }
            if s.selected { notes.append("selected") }
            if s.held { notes.append("held") }
            // One line per submission: the first line of a message (a bundle's stderr tail is
            // whole in --json and in --id N).
            if let code = s.errorCode { notes.append("\(code): \(Escaping.oneLine(s.errorMessage ?? ""))") }
            var line =
                pad("\(s.id)", 6) + pad(Escaping.oneLine(s.participant), 16) + pad(Escaping.oneLine(s.team), 16)
                + pad(s.submittedAt, 26) + pad(s.status.rawValue, 10)
            line += pad(cell(publicScore(s, score), score), 9 + metric.count)
            if showPrivate { line += pad(cell(score?.privatePrimary, score), 9) }
            if showsLadderColumn { line += pad(shown[s.id].map(formatScore) ?? "—", 11) }
            lines.append(line + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}
