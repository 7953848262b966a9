import PodiumApp
import PodiumDomain

/// `podium challenges` and `podium info` for people.
public enum CatalogText {
    public static func table(_ list: [ChallengeSummary], home: String) -> String {
        guard !list.isEmpty else { return "no challenge is published in \(home) (publish one with podium publish)" }
        var lines: [String] = []
        for c in list {
            var line = "\(Escaping.oneLine(c.id))  \(c.state.rawValue)  \(Escaping.oneLine(c.title))"
            line +=
                "  (\(c.task), \(c.metric) \(c.higherIsBetter ? "higher" : "lower") is better, version \(c.version))"
            if let closes = c.closes { line += "  closes \(closes)" }
            if let left = c.remainingToday { line += "  \(left) of \(c.perDay) left today" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public static func info(_ info: ChallengeInfo) -> String {
        let c = info.summary
        var lines = [
            "\(Escaping.oneLine(c.id)): \(Escaping.oneLine(c.title))",
            "state: \(c.state.rawValue) (version \(c.version))",
            "task: \(c.task), scored by \(c.metric) (\(c.higherIsBetter ? "higher" : "lower") is better)",
            "opens: \(c.opens ?? "—"), closes: \(c.closes ?? "—")",
            "limits: \(c.perDay) submissions a day (UTC), "
                + (c.total.map { "\($0) in all" } ?? "no total cap") + ", \(c.final) final selections; "
                + "takes \(c.kinds.joined(separator: " and "))",
        ]
        if let participant = c.participant, let left = c.remainingToday {
            let who = c.team.map { $0 != participant ? "\(participant) (team \($0))" : participant } ?? participant
            var line = "\(who): \(left) of \(c.perDay) left today, the day resets at \(c.dayResetsAt ?? "00:00 UTC")"
            if let total = c.remainingTotal { line += "; \(total) left in all" }
            lines.append(line)
        }
        for file in info.files { lines.append("file: \(file.name) (\(file.bytes) bytes, sha256 \(file.sha256))") }
        return lines.joined(separator: "\n")
    }
}
