import Foundation
import GRDB
import PodiumApp
import PodiumDomain
import PodiumSQLite
import Testing

extension Arena {
    /// Records a scored submission directly in the database, as a release before DESIGN §7's
    /// name rule could have (any name, any message), and marks the folding migration as not yet
    /// run, so the next command opens it as an old database.
    @discardableResult
    func insertOld(
        _ name: String, publicScore: Double?, privateScore: Double? = nil, status: String = "scored",
        error: (code: String, message: String)? = nil,
        at time: String = "2026-11-01T10:00:00.000Z"
    ) throws -> Int64 {
        let db = try database()
        let new = NewSubmission(
            participant: name, team: name, fileSha256: "0", fileName: "old.csv", message: nil, submittedAt: time,
            day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)), late: false, version: 1)
        let s = try db.accept(new) { _ in nil }
        let outcome = SubmissionStatus(rawValue: status) ?? .failed
        try db.record(
            EvaluationRecord(
                score: ScoreRecord(
                    submissionId: s.id, version: 1, status: outcome, publicPrimary: publicScore,
                    privatePrimary: privateScore ?? publicScore, report: "{}", scoredAt: time),
                error: error.map { JudgeError(code: ErrorCode(rawValue: $0.code), message: $0.message) }, probe: nil,
                hold: false))
        try db.pool.write { try $0.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6-canonical-names'") }
        return s.id
    }
}

/// Exports are safe to open: spreadsheets, Markdown renderers, terminals.
@Suite("Board and submission exports are safe to open", .serialized)
struct ExportTests {
    /// Formula-like text cells get a leading `'`; numeric cells, negative ones included, stay
    /// numbers.
    @Test func csvNeutralisesTextButNotNumbers() throws {
        // R² of a poor model is negative: its CSV cell begins with '-' and must stay a number.
        let a = try Arena(metric: "r2")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 8, 8).status == 0)
        let hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "-cmd", "safe"]
        for (k, name) in hostile.enumerated() { try a.insertOld(name, publicScore: -1 - Double(k)) }
        let r = try a.podium(["leaderboard", "arena", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try parseCSV(r.stdout)
        let header = rows[0]
        let team = try #require(header.firstIndex(of: "team"))
        let score = try #require(header.firstIndex(of: "score"))
        var teams: [String: String] = [:]
        for row in rows.dropFirst() {
            teams[row[team]] = row[score]
            // Every score cell is a number (parsed as one, negative ones included).
            #expect(Double(row[score]) != nil, "\(row)")
        }
        for name in hostile.dropLast() {
            #expect(teams["'" + name] != nil, "\(name) not neutralised: \(teams.keys.sorted())")
        }
        #expect(teams["safe"] == "-6.0")
        // alice's exact R² (a negative number) is in the score column as written by the JSON board.
        let json = try a.board()
        let aliceScore = try #require(json.first { $0["team"] as? String == "alice" }?["score"] as? Double)
        #expect(aliceScore < 0)
        #expect(teams["alice"].flatMap(Double.init) == aliceScore)
        // No cell of any row begins with a formula character.
        for row in rows.dropFirst() {
            for (i, cell) in row.enumerated() where i != score && header[i] != "ci_low" && header[i] != "ci_high" {
                #expect(
                    !["=", "+", "-", "@", "\t"].contains(cell.first.map(String.init) ?? ""), "\(header[i]) = \(cell)")
            }
        }
    }

    @Test func markdownEscapesAndKeepsOneRowPerEntry() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        try a.insertOld("<img src=x onerror=alert(1)>", publicScore: 1)
        try a.insertOld("a|b", publicScore: 2)
        try a.insertOld("`code`", publicScore: 3)
        try a.insertOld("two\nlines", publicScore: 4)
        let md = try a.podium(["leaderboard", "arena", "--format", "markdown"]).stdout
        #expect(!md.contains("<img") && md.contains("&lt;img"))
        let tableLines = md.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(tableLines.count == 2 + 4, "\(md)")  // header, rule, 4 entries
        for line in tableLines {
            // Every row has exactly the 6 unescaped pipes of 5 cells.
            let pipes = zip(line, [" "] + Array(line)).filter { $0.0 == "|" && $0.1 != "\\" }.count
            #expect(pipes == 6, "\(line)")
            #expect(!line.contains("`") || line.contains("\\`"), "\(line)")
        }
        #expect(md.contains("a\\|b") && md.contains("\\`code\\`"))
    }

    @Test func tableCellsAreOneLine() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 1, 1).status == 0)
        try a.insertOld("two\u{1B}[31m\nlines", publicScore: 2)
        var tail = "exited with status 1; the end of its stderr: Traceback (most recent call last):"
        for k in 1...19 { tail += "\n  File \"model.py\", line \(k), in <module>" }
        let failed = try a.insertOld(
            "bob", publicScore: nil, status: "failed", error: (code: "nonzero_exit", message: tail))
        let board = try a.podium(["leaderboard", "arena"]).stdout
        let boardLines = board.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(boardLines.count == 2 + 2, "\(board)")  // title, header, two entries
        #expect(!board.contains("\u{1B}"))
        let listing = try a.podium(["submissions", "arena"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let listed = listing.stdout.split(separator: "\n").filter { !$0.isEmpty }
        #expect(listed.count == 1 + 3, "\(listing.stdout)")  // header and three submissions
        #expect(
            listing.stdout.contains(
                "nonzero_exit: exited with status 1; the end of its stderr: Traceback (most recent call last): …"))
        // The whole tail: in --json, and in the single-submission view.
        let json = try a.podium(["submissions", "arena", "--json"]).stdout
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let error = try #require(rows.first { $0["id"] as? Int == Int(failed) }?["error"] as? [String: Any])
        #expect(error["message"] as? String == tail)
        let one = try a.podium(["submissions", "arena", "--id", "\(failed)"])
        #expect(one.status == 0, "\(one.stderr)")
        for k in 1...19 { #expect(one.stdout.contains("File \"model.py\", line \(k), in <module>")) }
        #expect(one.stdout.contains("error code: nonzero_exit") && one.stdout.contains("participant: bob"))
        let oneJSON = try a.podium(["submissions", "arena", "--id", "\(failed)", "--json"])
        #expect((oneJSON.json?["error"] as? [String: Any])?["message"] as? String == tail)
        let unknown = try a.podium(["submissions", "arena", "--id", "99", "--json"])
        #expect(
            unknown.status == 1
                && (unknown.json?["error"] as? [String: Any])?["code"] as? String == "unknown_submission")
    }
}

/// RFC 4180 fields (quotes, doubled quotes, commas and line breaks inside quotes).
func parseCSV(_ text: String) throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var wasQuoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" {
                    field.append("\"")
                    chars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.append(c)
            }
        } else if c == "\"" && field.isEmpty && !wasQuoted {
            quoted = true
            wasQuoted = true
        } else if c == "," {
            row.append(field)
            field = ""
            wasQuoted = false
        } else if c == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
            wasQuoted = false
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}

@Suite("The HTML page's charts", .serialized)
struct HTMLPageTests {
    /// All matches of a regular expression's first capture group.
    func captures(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
        }
    }

    /// Twelve teams whose rank order is not their alphabetical order: the time chart draws the
    /// top ten by rank, each team in one colour on both charts, with legends and axis labels.
    @Test func chartsFollowTheBoard() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        // t01 is the worst (MAE 12), t12 the best (MAE 1); each improves once.
        for k in 1...12 {
            let name = String(format: "t%02d", k)
            try a.insertOld(
                name, publicScore: Double(13 - k) + 5, privateScore: Double(13 - k) + 0.5,
                at: String(format: "2026-11-01T%02d:00:00.000Z", k))
            try a.insertOld(
                name, publicScore: Double(13 - k), privateScore: Double(13 - k) + 0.25,
                at: String(format: "2026-11-02T%02d:00:00.000Z", k))
        }
        let board = try a.board()
        let top = board.prefix(10).compactMap { $0["team"] as? String }
        #expect(top == (3...12).reversed().map { String(format: "t%02d", $0) })
        let r = try a.podium(["leaderboard", "arena", "--reveal", "--format", "html"])
        #expect(r.status == 0, "\(r.stderr)")
        let svgs = try captures("(<svg.*?</svg>)", in: r.stdout).map { $0[0] }
        try #require(svgs.count == 2)
        let (time, shake) = (svgs[0], svgs[1])
        // The time chart: exactly the top ten by rank.
        let lines = try captures("<polyline fill=\"none\" stroke=\"([^\"]+)\"[^>]*><title>([^<]+)</title>", in: time)
        #expect(Set(lines.map { $0[1] }) == Set(top), "\(lines.map { $0[1] })")
        // One colour per team, different teams different colours, the same in the shake-up chart.
        let stroke = Dictionary(uniqueKeysWithValues: lines.map { ($0[1], $0[0]) })
        #expect(Set(stroke.values).count == 10)
        let dots = try captures("<circle [^>]*fill=\"([^\"]+)\"><title>([^:<]+): public", in: shake)
        #expect(dots.count == 12)
        for dot in dots {
            if let colour = stroke[dot[1]] {
                #expect(dot[0] == colour, "\(dot[1]): \(dot[0]) in the shake-up, \(colour) over time")
            } else {
                #expect(!stroke.values.contains(dot[0]), "\(dot[1]) outside the top ten shares a top team's colour")
            }
        }
        // Legends: every drawn team, with its colour; the shake-up's also names the others and the diagonal.
        for (svg, extra) in [(time, [String]()), (shake, ["other teams", "public = private"])] {
            let legend = try #require(try captures("<g class=\"legend\">(.*?)</g>", in: svg).first?[0])
            let entries = try captures("stroke=\"([^\"]+)\"[^>]*/><text[^>]*>([^<]+)</text>", in: legend)
            for team in top {
                #expect(
                    entries.contains { $0[1].hasSuffix(team) && $0[0] == stroke[team] }, "\(team) missing from a legend"
                )
            }
            for label in extra { #expect(entries.contains { $0[1] == label }, "\(label)") }
        }
        // Axis labels on both charts.
        let timeLabels = try captures("class=\"axis-label\"[^>]*>([^<]+)<", in: time).map { $0[0] }
        let shakeLabels = try captures("class=\"axis-label\"[^>]*>([^<]+)<", in: shake).map { $0[0] }
        #expect(
            timeLabels.count == 2 && timeLabels[0].hasPrefix("time (UTC)") && timeLabels[1] == "best public mae",
            "\(timeLabels)")
        #expect(shakeLabels == ["public mae", "private mae"])
    }

    /// "≈" (a statistical tie) is explained wherever it can appear: table, Markdown, HTML, and as
    /// a `tie_note` column (CSV) or key (JSON).
    @Test func tieMarkIsExplainedOnEveryFormat() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publishWithTiedTeams()
        func show(_ format: String) throws -> String {
            try a.podium(["leaderboard", "arena", "--private", "--reveal", "--format", format]).stdout
        }
        let explanation = "95% bootstrap intervals of the two scores overlap"
        for format in ["table", "markdown", "html"] {
            let text = try show(format)
            #expect(text.contains("≈") && text.contains(explanation), "\(format): \(text)")
        }
        let csv = try parseCSV(try show("csv"))
        let note = try #require(csv[0].firstIndex(of: "tie_note"))
        let tied = try #require(csv[0].firstIndex(of: "tied_with_above"))
        for row in csv.dropFirst() { #expect(row[note].contains(explanation) == (row[tied] == "true"), "\(row)") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try show("json").utf8)) as? [String: Any])
        #expect((json["tie_note"] as? String)?.contains(explanation) == true)
    }
}
