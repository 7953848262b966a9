import PodiumApp
import PodiumDomain

extension SubmissionListing {
    /// The public score the reader may see.
    func publicScore(_ s: SubmissionRecord, _ score: ScoreRecord?) -> Double? {
        visibility.publicValue(exact: score?.publicPrimary, shown: shown[s.id], primary: true)
    }

    /// An instructor's list under the Ladder also has the score each student was shown.
    var showsLadderColumn: Bool { visibility.ladderStep == nil && !shown.isEmpty }

    /// A score with its version when that is not the current one.
    func cell(_ value: Double?, _ score: ScoreRecord?) -> String {
        guard let value else { return "—" }
        return formatScore(value) + (score.map { $0.version != version ? " (v\($0.version))" : "" } ?? "")
    }

    public func text() -> String {
        let header = "id    participant     team            submitted                 status    public \(metric)\(showPrivate ? "  private" : "")"
        var lines = [header + (showsLadderColumn ? "  shown    " : "") + "  notes"]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        if let step = visibility.ladderStep {
            lines.insert("public scores are the Ladder's (step \(formatScore(step))): they move only when a submission beats the shown score by more than the step", at: 0)
        }
        if !pending.isEmpty {
            lines.insert("\(pending.count) score\(pending.count == 1 ? "" : "s") pending re-scoring on version \(version); a score marked (vN) was computed on version N", at: 0)
        }
        for (s, score) in rows {
            var notes: [String] = []
            if s.late { notes.append("late") }
            if s.selected { notes.append("selected") }
            if s.held { notes.append("held") }
            // One line per submission: the first line of a message (a bundle's stderr tail is
            // whole in --json and in --id N).
            if let code = s.errorCode { notes.append("\(code): \(Escaping.oneLine(s.errorMessage ?? ""))") }
            var line = pad("\(s.id)", 6) + pad(Escaping.oneLine(s.participant), 16) + pad(Escaping.oneLine(s.team), 16) + pad(s.submittedAt, 26) + pad(s.status.rawValue, 10)
            line += pad(cell(publicScore(s, score), score), 9 + metric.count)
            if showPrivate { line += pad(cell(score?.privatePrimary, score), 9) }
            if showsLadderColumn { line += pad(shown[s.id].map(formatScore) ?? "—", 11) }
            lines.append(line + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .array(rows.map { s, score in
            var pairs: [(String, JSONValue)] = [
                ("id", .integer(Int(s.id))), ("participant", .string(s.participant)), ("team", .string(s.team)),
                ("submitted_at", .string(s.submittedAt)), ("status", .string(s.status.rawValue)), ("late", .bool(s.late)),
                ("selected", .bool(s.selected)), ("held", .bool(s.held)), ("file", .string(s.fileName)), ("sha256", .string(s.fileSha256)),
                ("public", publicScore(s, score).map(JSONValue.number) ?? .null),
            ]
            if showPrivate { pairs.append(("private", score?.privatePrimary.map(JSONValue.number) ?? .null)) }
            if showsLadderColumn { pairs.append(("shown", shown[s.id].map(JSONValue.number) ?? .null)) }
            if let step = visibility.ladderStep { pairs.append(("ladder_step", .number(step))) }
            pairs.append(("scored_version", score.map { .integer($0.version) } ?? .null))
            pairs.append(("pending", .bool(pending.contains(s.id))))
            if let code = s.errorCode {
                pairs.append(("error", .object([("code", .string(code.rawValue)), ("message", .string(s.errorMessage ?? ""))])))
            }
            if let message = s.message { pairs.append(("message", .string(message))) }
            return .object(pairs)
        })
    }
}

