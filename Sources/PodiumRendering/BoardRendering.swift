import Foundation
import PodiumApp
import PodiumDomain

/// The formats `podium leaderboard` writes.
public enum BoardFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown, html
}

extension Board {
    public func render(_ format: BoardFormat, history: BoardHistory? = nil) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return PodiumJSON.encode(BoardBody(self))
        case .markdown: return markdown()
        case .html: return HTMLPage.render(self, history: history)
        }
    }

    var title: String {
        "\(challenge) — \(kind.rawValue) leaderboard, \(metric) (\(higherIsBetter ? "higher" : "lower") is better), "
            + "version \(version)"
            + (ladderStep.map { ", Ladder step \($0)" } ?? "") + pendingNote
    }

    /// DESIGN §4: while a re-score is due, say how many scores wait and how stale ones are marked.
    var pendingNote: String {
        pending == 0
            ? ""
            : " — \(pending) score\(pending == 1 ? "" : "s") pending re-scoring on version \(version); a score "
                + "marked (vN) was computed on version N"
    }

    /// A score with its version when that is not the board's.
    func scoreCell(_ e: BoardEntry) -> String {
        formatScore(e.score) + (e.scoredVersion != version ? " (v\(e.scoredVersion))" : "")
    }

    func table() -> String {
        let width = max(4, entries.map { Escaping.oneLine($0.team).count }.max() ?? 4)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var lines = [
            title,
            pad("rank", 5) + pad("team", width + 2) + pad("score", pending > 0 ? 18 : 12) + pad("entries", 9)
                + "submitted",
        ]
        for e in entries {
            let tie = e.tiedWithAbove ? "  ≈ tied with the rank above" : ""
            lines.append(
                pad("\(e.rank)", 5) + pad(Escaping.oneLine(e.team), width + 2)
                    + pad(scoreCell(e), pending > 0 ? 18 : 12) + pad("\(e.entries)", 9) + e.submittedAt + tie)
        }
        if entries.isEmpty { lines.append("(no ranked submissions yet)") }
        if entries.contains(where: \.tiedWithAbove) {
            lines.append(Self.tieNote)
        }
        return lines.joined(separator: "\n")
    }

    func csv() -> String {
        // Text cells go through `Escaping.csvText` (formula injection); numbers are written as numbers.
        var lines = [
            "rank,team,score,submission,entries,submitted_at,ci_low,ci_high,tied_with_above,tie_note,scored_version"
        ]
        for e in entries {
            let ci = e.interval.map { "\($0.low),\($0.high)" } ?? ","
            let note = e.tiedWithAbove ? Escaping.csvText(Self.tieNote) : ""
            let cells = [
                "\(e.rank)", Escaping.csvText(e.team), "\(e.score)", "\(e.submissionId)", "\(e.entries)",
                Escaping.csvText(e.submittedAt), ci, "\(e.tiedWithAbove)", note, "\(e.scoredVersion)",
            ]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    func markdown() -> String {
        var lines = [
            "**\(Escaping.markdown(title))**", "", "| rank | team | score | entries | submitted |",
            "|---:|---|---:|---:|---|",
        ]
        for e in entries {
            lines.append(
                "| \(e.rank)\(e.tiedWithAbove ? " ≈" : "") | \(Escaping.markdown(e.team)) | \(scoreCell(e)) | "
                    + "\(e.entries) | \(Escaping.markdown(e.submittedAt)) |"
            )
        }
        if entries.contains(where: \.tiedWithAbove) { lines += ["", Escaping.markdown(Self.tieNote)] }
        return lines.joined(separator: "\n")
    }
}

func htmlEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
