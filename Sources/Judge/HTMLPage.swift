import Foundation

/// What the HTML page charts besides the board: each team's best public score over time, and
/// public against private scores (the shake-up).
public struct BoardHistory: Sendable {
    /// (team, time, best public score so far) in time order.
    public var progress: [(team: String, time: Date, best: Double)]
    /// (team, public score, private score) of each team's board submission.
    public var shakeUp: [(team: String, publicScore: Double, privateScore: Double)]
}

/// One self-contained page: no scripts, no fonts, no network; charts as inline SVG.
enum HTMLPage {
    static func render(_ board: Board, history: BoardHistory?) -> String {
        var rows = ""
        for e in board.entries {
            rows += "<tr><td>\(e.rank)\(e.tiedWithAbove ? " ≈" : "")</td><td>\(htmlEscape(e.team))</td><td>\(board.scoreCell(e))</td><td>\(e.entries)</td><td>\(htmlEscape(e.submittedAt))</td></tr>\n"
        }
        var charts = ""
        if let history {
            charts += "<h2>Best public score over time</h2>\n" + progressChart(history.progress, higher: board.higherIsBetter)
            charts += "<h2>Public against private score</h2>\n" + shakeUpChart(history.shakeUp)
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(htmlEscape(board.title))</title>
            <style>
            body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
            td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
            svg{border:1px solid #ccc;background:#fff;margin-bottom:1em}
            </style></head><body>
            <h1>\(htmlEscape(board.title))</h1>
            <table><thead><tr><th>rank</th><th>team</th><th>score</th><th>entries</th><th>submitted</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            \(charts)
            </body></html>

            """
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func progressChart(_ points: [(team: String, time: Date, best: Double)], higher: Bool) -> String {
        let w = 640.0, h = 320.0, m = 40.0
        guard let t0 = points.map(\.time).min(), let t1 = points.map(\.time).max(),
            let low = points.map(\.best).min(), let high = points.map(\.best).max()
        else { return "<p>No scored submissions yet.</p>" }
        // A 5% margin keeps points on the edges visible.
        let pad = max(high - low, 1e-9) * 0.05
        let lo = low - pad, hi = high + pad
        let span = max(t1.timeIntervalSince(t0), 1), range = hi - lo
        func x(_ t: Date) -> Double { m + (w - 2 * m) * t.timeIntervalSince(t0) / span }
        func y(_ v: Double) -> Double { h - m - (h - 2 * m) * (v - lo) / range }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\">\n"
        svg += axes(w: w, h: h, m: m, low: lo, high: hi)
        let teams = Array(Set(points.map(\.team))).sorted()
        for (k, team) in teams.enumerated() {
            let color = palette[k % palette.count]
            let mine = points.filter { $0.team == team }
            let path = mine.map { String(format: "%.1f,%.1f", x($0.time), y($0.best)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"><title>\(htmlEscape(team))</title></polyline>\n"
            for p in mine where points.count <= 5000 {
                svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"><title>%@: %@</title></circle>\n", x(p.time), y(p.best), color, htmlEscape(team), formatScore(p.best))
            }
            // A legend entry per team (the first ten).
            if k < 10 {
                svg += "<text x=\"\(Int(w - m - 110))\" y=\"\(Int(m) + 14 * k)\" font-size=\"11\" fill=\"\(color)\">\(htmlEscape(String(team.prefix(18))))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    static func shakeUpChart(_ points: [(team: String, publicScore: Double, privateScore: Double)]) -> String {
        let w = 360.0, h = 360.0, m = 40.0
        let values = points.flatMap { [$0.publicScore, $0.privateScore] }
        guard let low = values.min(), let high = values.max() else { return "<p>No private scores yet.</p>" }
        let pad = max(high - low, 1e-9) * 0.05
        let lo = low - pad, hi = high + pad
        let range = hi - lo
        func s(_ v: Double) -> Double { (w - 2 * m) * (v - lo) / range }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\">\n"
        svg += axes(w: w, h: h, m: m, low: lo, high: hi)
        svg += "<line x1=\"\(m)\" y1=\"\(h - m)\" x2=\"\(w - m)\" y2=\"\(m)\" stroke=\"#aaa\" stroke-dasharray=\"4\"/>\n"
        svg += "<text x=\"\(Int(w / 2))\" y=\"\(Int(h - 8))\" font-size=\"11\" text-anchor=\"middle\">public</text>\n"
        svg += "<text x=\"12\" y=\"\(Int(h / 2))\" font-size=\"11\" transform=\"rotate(-90 12 \(Int(h / 2)))\" text-anchor=\"middle\">private</text>\n"
        for (k, p) in points.enumerated() {
            let cx = m + s(p.publicScore), cy = h - m - s(p.privateScore)
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%@\"><title>%@: public %@, private %@</title></circle>\n",
                cx, cy, palette[k % palette.count], htmlEscape(p.team), formatScore(p.publicScore), formatScore(p.privateScore))
        }
        return svg + "</svg>\n"
    }

    static func axes(w: Double, h: Double, m: Double, low: Double, high: Double) -> String {
        """
        <line x1="\(m)" y1="\(h - m)" x2="\(w - m)" y2="\(h - m)" stroke="#333"/>
        <line x1="\(m)" y1="\(m)" x2="\(m)" y2="\(h - m)" stroke="#333"/>
        <text x="\(m + 2)" y="\(m - 6)" font-size="10">\(formatScore(high))</text>
        <text x="\(m + 2)" y="\(h - m - 4)" font-size="10">\(formatScore(low))</text>

        """
    }
}
