import Foundation
import PodiumSQLite
import Testing

@Suite("Leaderboards", .serialized)
struct BoardTests {
    @Test func bestPerTeamInTheMetricsDirectionTiesToTheEarliest() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        _ = try a.submit("alice", 2, 2)
        _ = try a.submit("bob", 1, 5)
        _ = try a.submit("alice", 0.5, 4)  // alice's best (lower MAE is better)
        _ = try a.submit("carol", 1, 1)  // ties bob's 1.0: bob was earlier
        _ = try a.submit("alice", 3, 0)
        let board = try a.board()
        #expect(board.map { $0["team"] as? String } == ["alice", "bob", "carol"])
        #expect(board.map { $0["score"] as? Double } == [0.5, 1, 1])
        #expect(board.map { $0["rank"] as? Int } == [1, 2, 3])
        #expect(board.first?["entries"] as? Int == 3)
    }

    @Test func privateBoardUsesSelectionOrBestPublicFinal() throws {
        let a = try Arena(yaml: "submissions:\n  final: 1\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        _ = try a.submit("alice", 1, 9)  // 1
        _ = try a.submit("alice", 2, 0.5)  // 2
        _ = try a.submit("bob", 1.5, 1.5)  // 3
        // No selection: alice's best public (1) counts, with private 9.
        var priv = try a.board(["--private", "--reveal"])
        #expect(priv.map { $0["team"] as? String } == ["bob", "alice"])
        #expect(priv.last?["score"] as? Double == 9)
        // alice selects submission 2.
        let r = try a.podium(["select", "arena", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        priv = try a.board(["--private", "--reveal"])
        #expect(priv.map { $0["team"] as? String } == ["alice", "bob"])
        #expect(priv.first?["score"] as? Double == 0.5)
        // Selecting more than `final`, or a foreign mix, is refused.
        #expect(try a.podium(["select", "arena", "1", "2"]).status == 1)
        #expect(try a.podium(["select", "arena", "99"]).status == 1)
    }

    @Test func ladderMovesOnlyByMoreThanTheStep() throws {
        let a = try Arena(yaml: "leaderboard:\n  display: ladder\n  step: 0.5\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        _ = try a.submit("alice", 3.1, 1)
        #expect(try a.board().first?["score"] as? Double == 3.0)
        _ = try a.submit("alice", 2.7, 1)  // better by 0.3 < step: the shown score stays
        #expect(try a.board().first?["score"] as? Double == 3.0)
        _ = try a.submit("alice", 2.2, 1)  // better by 0.8: shown, rounded to the step
        #expect(try a.board().first?["score"] as? Double == 2.0)
    }

    @Test func formats() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        // Such a name is refused today (DESIGN §7); a database written before the rule has it.
        try a.insertOld("alice, the \"first\"", publicScore: 1, privateScore: 2)
        _ = try a.submit("bob", 2, 1)
        let csv = try a.podium(["leaderboard", "arena", "--format", "csv"]).stdout
        #expect(csv.hasPrefix("rank,team,score"))
        #expect(csv.contains("1,\"alice, the \"\"first\"\"\",1.0,"))
        let md = try a.podium(["leaderboard", "arena", "--format", "markdown"]).stdout
        #expect(md.contains("| 2 | bob | 2.000000 |"))
        let table = try a.podium(["leaderboard", "arena"]).stdout
        #expect(table.contains("bob") && table.contains("rank"))
        let page = a.root + "/board.html"
        let r = try a.podium(["leaderboard", "arena", "--format", "html", "--output", page], now: nil)
        #expect(r.status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("<polyline") && html.contains("alice, the &quot;first&quot;"))
        // Self-contained: no scripts, no external resources.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        let revealed = try a.podium(["leaderboard", "arena", "--private", "--reveal", "--format", "html"]).stdout
        #expect(revealed.contains("<circle"))
        #expect(try a.podium(["leaderboard", "arena", "--format", "pdf"]).status == 2)
    }

    @Test func twentyConcurrentSubmittersGetExactlyTheirLimit() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 5\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let file = try a.predictions(1, 1)
        let processes: [Process] = try (0..<20).map { k in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: podiumPath)
            p.arguments = ["submit", "arena", file, "--as", "alice", "--json", "--home", a.home]
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: a.root + "/out-\(k)").touched())
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: a.root + "/err-\(k)").touched())
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        let statuses = processes.map(\.terminationStatus)
        #expect(statuses.filter { $0 == 0 }.count == 5, "\(statuses)")
        #expect(statuses.filter { $0 == 1 }.count == 15)
        var codes: [String] = []
        for k in 0..<20 {
            let out = try String(contentsOfFile: a.root + "/out-\(k)", encoding: .utf8)
            let err = try String(contentsOfFile: a.root + "/err-\(k)", encoding: .utf8)
            #expect(!out.contains("SQLITE_BUSY") && !err.contains("SQLITE_BUSY") && !err.contains("database is locked"))
            if out.contains("limit_reached") { codes.append("limit_reached") }
        }
        #expect(codes.count == 15)
        let rows = try a.database().submissions(team: nil)
        #expect(rows.count == 20)
        #expect(rows.filter { $0.status == .scored }.count == 5)
        #expect(rows.filter { $0.errorCode?.rawValue == "limit_reached" }.count == 15)
    }
}

extension URL {
    /// Creates the file if needed and returns the URL (for FileHandle(forWritingTo:)).
    func touched() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}

@Suite("Statistical ties on the private board", .serialized)
struct TieTests {
    /// Private absolute errors vary by row, so the bootstrap intervals have width: two teams
    /// with close MAE overlap (tied), a far worse one does not.
    @Test func overlappingIntervalsAreMarked() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publishWithTiedTeams()
        let r = try a.podium(["leaderboard", "arena", "--private", "--reveal", "--json"])
        let entries = try #require(
            (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["entries"]
                as? [[String: Any]])
        #expect(entries.map { $0["team"] as? String } == ["alice", "bob", "carol"])
        #expect(entries.map { $0["tied_with_above"] as? Bool } == [false, true, false])
        let low = try #require(entries[0]["ci_low"] as? Double)
        let high = try #require(entries[0]["ci_high"] as? Double)
        #expect(low < 3.0 && 3.0 < high)  // alice's MAE is 3.0
        // Cached: a second view computes nothing new and agrees.
        let again = try a.podium(["leaderboard", "arena", "--private", "--reveal", "--json"])
        #expect(again.stdout == r.stdout)
        #expect(try a.podium(["leaderboard", "arena", "--private", "--reveal"]).stdout.contains("≈"))
    }
}
