import PodiumApp
import PodiumDomain

extension SubmissionListing {
    /// One submission in full (`podium submissions CHALLENGE --id N`): every field of its
    /// `--json` row, one per line, and multi-line text (a bundle's stderr tail) whole, indented,
    /// with control characters escaped. The listing's table shows only the first line.
    public func detail(_ id: Int64) throws(JudgeError) -> String {
        let row = try row(id)
        var lines: [String] = []
        typealias Key = ListingRow.CodingKeys
        func text(_ key: String, _ text: String) {
            let parts = text.split(
                omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            if parts.count <= 1 {
                lines.append("\(key): \(Escaping.oneLine(text))")
            } else {
                lines.append("\(key):")
                lines += parts.map { "    " + Escaping.oneLine(String($0)) }
            }
        }
        func plain(_ key: Key, _ value: String) { lines.append("\(key.rawValue): \(value)") }
        func number(_ key: Key, _ value: Double?) { plain(key, value.map(formatScore) ?? "—") }
        plain(.id, "\(row.id)")
        text(Key.participant.rawValue, row.participant)
        text(Key.team.rawValue, row.team)
        text(Key.submittedAt.rawValue, row.submittedAt)
        text(Key.status.rawValue, row.status.rawValue)
        plain(.late, "\(row.late)")
        plain(.selected, "\(row.selected)")
        plain(.held, "\(row.held)")
        text(Key.file.rawValue, row.file)
        text(Key.sha256.rawValue, row.sha256)
        number(.publicScore, row.publicScore)
        if let privateScore = row.privateScore { number(.privateScore, privateScore) }
        if let shownScore = row.shownScore { number(.shownScore, shownScore) }
        if let ladderStep = row.ladderStep { number(.ladderStep, ladderStep) }
        plain(.scoredVersion, row.scoredVersion.map { "\($0)" } ?? "—")
        plain(.pending, "\(row.pending)")
        if let error = row.error {
            text("\(Key.error.rawValue) code", error.code.rawValue)
            text("\(Key.error.rawValue) message", error.message)
        }
        if let message = row.message { text(Key.message.rawValue, message) }
        return lines.joined(separator: "\n")
    }
}
