import Foundation
import PodiumApp
import PodiumDomain

/// One self-contained page: no scripts, no fonts, no network; charts as inline SVG. The server's
/// leaderboard page shows the same table and charts (`Board.htmlFragment`).
enum HTMLPage {
    /// Teams the time chart draws (each its own colour, kept across both charts).
    static let shown = 10

    /// The whole page `podium leaderboard --format html` writes: the fragment in a document
    /// with its own small stylesheet (a local file has no server to fetch one from).
    static func render(_ board: Board, history: BoardHistory?) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(htmlEscape(board.title))</title>
        <style>
        body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
        td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
        svg{border:1px solid #ccc;background:#fff;margin-bottom:1em}.note{color:#555;font-size:.9em}
        </style></head><body>
        <h1>\(htmlEscape(board.title))</h1>
        \(fragment(board, history: history))
        </body></html>

        """
    }

    /// The board's table, its tie note and its charts: markup with no script, no `style`
    /// element or attribute (the server's pages run under `default-src 'self'`), every text
    /// escaped. Classes (`board`, `note`, `chart`) are for the stylesheet around it.
    static func fragment(_ board: Board, history: BoardHistory?) -> String {
        var rows = ""
        for e in board.entries {
            let tie = e.tiedWithAbove ? " <abbr title=\"tied with the rank above\">≈</abbr>" : ""
            rows +=
                "<tr><td>\(e.rank)\(tie)</td><td>\(htmlEscape(e.team))</td><td>\(board.scoreCell(e))</td>"
                + "<td>\(e.entries)</td><td>\(htmlEscape(e.submittedAt))</td></tr>\n"
        }
        if board.entries.isEmpty { rows = "<tr><td colspan=\"5\">No ranked submissions yet.</td></tr>\n" }
        let note =
            board.entries.contains(where: \.tiedWithAbove) ? "<p class=\"note\">\(htmlEscape(Board.tieNote))</p>\n" : ""
        var charts = ""
        if let history {
            let order = ranked(board, history)
            let colours = Dictionary(
                uniqueKeysWithValues: order.prefix(shown).enumerated().map { ($1, palette[$0 % palette.count]) })
            let metric = htmlEscape(board.metric)
            charts += "<h2>Best public score over time</h2>\n"
            charts +=
                "<p>The top \(min(shown, order.count)) teams by rank on this board; each keeps its colour in both "
                + "charts.</p>\n"
            charts += chart(
                progressChart(
                    history.progress, order: Array(order.prefix(shown)),
                    ranks: Dictionary(board.entries.map { ($0.team, $0.rank) }, uniquingKeysWith: { a, _ in a }),
                    colours: colours, metric: metric))
            charts +=
                "<h2>Public against private score</h2>\n"
                + chart(shakeUpChart(history.shakeUp, colours: colours, metric: metric))
        }
        return """
            <div class="board-table"><table class="board"><thead><tr><th>rank</th><th>team</th><th>score</th>\
            <th>entries</th><th>submitted</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            \(note)\(charts)
            """
    }

    /// A chart in a box that scrolls sideways on a narrow screen rather than overflowing it.
    static func chart(_ svg: String) -> String { "<div class=\"chart\">\n" + svg + "</div>\n" }

    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
    /// Teams beyond the top ones.
    static let other = "#c7c7c7"

    /// Teams in the board's rank order, then those with scores but no place on it (held, say)
    /// by their best score.
    static func ranked(_ board: Board, _ history: BoardHistory) -> [String] {
        var order = board.entries.map(\.team)
        var seen = Set(order)
        var best: [String: Double] = [:]
        for p in history.progress { best[p.team] = p.best }  // points come in time order: the last is the best
        let sign = board.higherIsBetter ? -1.0 : 1.0
        for (team, _) in best.sorted(by: { (sign * $0.value, $0.key) < (sign * $1.value, $1.key) })
        where seen.insert(team).inserted {
            order.append(team)
        }
        return order
    }

    /// A legend: a swatch and a name per entry, in a column at `x`.
    static func legend(_ entries: [(label: String, colour: String, dashed: Bool)], x: Double, y: Double) -> String {
        var svg = "<g class=\"legend\">\n"
        for (k, e) in entries.enumerated() {
            let ty = y + 16 * Double(k)
            let dash = e.dashed ? " stroke-dasharray=\"4\"" : ""
            svg +=
                "<line x1=\"\(Int(x))\" y1=\"\(Int(ty) - 4)\" x2=\"\(Int(x) + 18)\" y2=\"\(Int(ty) - 4)\" "
                + "stroke=\"\(e.colour)\" stroke-width=\"3\"\(dash)/>"
            svg +=
                "<text x=\"\(Int(x) + 24)\" y=\"\(Int(ty))\" "
                + "font-size=\"11\">\(htmlEscape(String(e.label.prefix(24))))</text>\n"
        }
        return svg + "</g>\n"
    }

    static func progressChart(
        _ points: [(team: String, time: Date, best: Double)], order: [String], ranks: [String: Int],
        colours: [String: String], metric: String
    ) -> String {
        let w = 820.0
        let h = 340.0
        let m = 50.0
        let plot = 640.0
        let points = points.filter { colours[$0.team] != nil }
        guard let t0 = points.map(\.time).min(), let t1 = points.map(\.time).max(),
            let low = points.map(\.best).min(), let high = points.map(\.best).max()
        else { return "<p>No scored submissions yet.</p>" }
        // A 5% margin keeps points on the edges visible.
        let pad = max(high - low, 1e-9) * 0.05
        let lo = low - pad
        let hi = high + pad
        let span = max(t1.timeIntervalSince(t0), 1)
        let range = hi - lo
        func x(_ t: Date) -> Double { m + (plot - 2 * m) * t.timeIntervalSince(t0) / span }
        func y(_ v: Double) -> Double { h - m - (h - 2 * m) * (v - lo) / range }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 "
            + "\(Int(w)) \(Int(h))\">\n"
        svg += axes(
            w: plot, h: h, m: m, low: lo, high: hi,
            x: "time (UTC): \(Instants.timestamp(t0).prefix(16)) to \(Instants.timestamp(t1).prefix(16))",
            y: "best public \(metric)")
        for team in order {
            let color = colours[team]!
            let mine = points.filter { $0.team == team }
            guard !mine.isEmpty else { continue }
            // A step line: the best score so far holds until the next improvement, and to the end.
            var steps: [(Double, Double)] = []
            for p in mine {
                if let last = steps.last { steps.append((x(p.time), last.1)) }
                steps.append((x(p.time), y(p.best)))
            }
            steps.append((x(t1), steps.last!.1))
            let path = steps.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            svg +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" "
                + "points=\"\(path)\"><title>\(htmlEscape(team))</title></polyline>\n"
            for p in mine where points.count <= 5000 {
                svg += String(
                    format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"><title>%@: %@</title></circle>\n",
                    x(p.time), y(p.best), color, htmlEscape(team), formatScore(p.best))
            }
        }
        let entries = order.map { team in
            (label: ranks[team].map { "\($0). \(team)" } ?? team, colour: colours[team]!, dashed: false)
        }
        return svg + legend(entries, x: plot + 10, y: m) + "</svg>\n"
    }

    static func shakeUpChart(
        _ points: [(team: String, publicScore: Double, privateScore: Double)], colours: [String: String], metric: String
    ) -> String {
        let w = 600.0
        let h = 400.0
        let m = 50.0
        let plot = 400.0
        let values = points.flatMap { [$0.publicScore, $0.privateScore] }
        guard let low = values.min(), let high = values.max() else { return "<p>No private scores yet.</p>" }
        let pad = max(high - low, 1e-9) * 0.05
        let lo = low - pad
        let hi = high + pad
        let range = hi - lo
        func s(_ v: Double) -> Double { (plot - 2 * m) * (v - lo) / range }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 "
            + "\(Int(w)) \(Int(h))\">\n"
        svg += axes(w: plot, h: h, m: m, low: lo, high: hi, x: "public \(metric)", y: "private \(metric)", xRange: true)
        let top = h - m - (plot - 2 * m)
        svg +=
            "<line x1=\"\(m)\" y1=\"\(h - m)\" x2=\"\(plot - m)\" y2=\"\(top)\" stroke=\"#aaa\" "
            + "stroke-dasharray=\"4\"/>\n"
        // Others first, so the top teams' points are drawn over them.
        for p in points.sorted(by: { (colours[$0.team] == nil ? 0 : 1) < (colours[$1.team] == nil ? 0 : 1) }) {
            let cx = m + s(p.publicScore)
            let cy = h - m - s(p.privateScore)
            svg += String(
                format:
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%@\"><title>%@: public %@, private "
                    + "%@</title></circle>\n",
                cx, cy, colours[p.team] ?? other, htmlEscape(p.team), formatScore(p.publicScore),
                formatScore(p.privateScore))
        }
        let ordered = colours.sorted { palette.firstIndex(of: $0.value)! < palette.firstIndex(of: $1.value)! }
        var entries = ordered.filter { c in points.contains { $0.team == c.key } }.map {
            (label: $0.key, colour: $0.value, dashed: false)
        }
        if points.contains(where: { colours[$0.team] == nil }) {
            entries.append((label: "other teams", colour: other, dashed: false))
        }
        entries.append((label: "public = private", colour: "#aaa", dashed: true))
        return svg + legend(entries, x: plot + 10, y: m) + "</svg>\n"
    }

    /// The axes of a plot `w` wide: lines, the range of the score axis (and of the other axis
    /// when it is a score too), and a label on each.
    static func axes(
        w: Double, h: Double, m: Double, low: Double, high: Double, x: String, y: String, xRange: Bool = false
    ) -> String {
        var svg = """
            <line x1="\(m)" y1="\(h - m)" x2="\(w - m)" y2="\(h - m)" stroke="#333"/>
            <line x1="\(m)" y1="\(m)" x2="\(m)" y2="\(h - m)" stroke="#333"/>
            <text x="\(m + 2)" y="\(m - 6)" font-size="10">\(formatScore(high))</text>
            <text x="\(m + 2)" y="\(h - m - 4)" font-size="10">\(formatScore(low))</text>
            <text class="axis-label" x="\(Int(w / 2))" y="\(Int(h - 12))" font-size="12" text-anchor="middle">\(x)</text>
            <text class="axis-label" x="14" y="\(Int(h / 2))" font-size="12" text-anchor="middle" transform="rotate(-90 14 \(Int(h / 2)))">\(y)</text>

            """
        if xRange {
            svg +=
                "<text x=\"\(Int(w - m))\" y=\"\(Int(h - m + 14))\" font-size=\"10\" "
                + "text-anchor=\"end\">\(formatScore(high))</text>\n"
        }
        return svg
    }
}

extension Board {
    /// The table, tie note and charts of the HTML board without the page around them, for a
    /// page that has its own layout and stylesheet (the server's leaderboard page).
    public func htmlFragment(history: BoardHistory?) -> String { HTMLPage.fragment(self, history: history) }

    /// The board's title (challenge, kind, metric and direction, version, pending note).
    public var heading: String { title }
}
