import Foundation
import PodiumSQLite
import Testing

@Suite("publish and submit, as processes on real SQLite files", .serialized)
struct PublishSubmitTests {
    @Test func publishValidatesAndVersions() throws {
        let a = try Arena()
        defer { a.remove() }
        // A missing file and inconsistent ids are refused.
        try FileManager.default.moveItem(atPath: a.folder + "/test.csv", toPath: a.root + "/test.csv")
        var r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.status == 1 && r.stdout.contains("missing_file"))
        try (String(contentsOfFile: a.root + "/test.csv", encoding: .utf8) + "21,21\n").write(
            toFile: a.folder + "/test.csv", atomically: true, encoding: .utf8)
        r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.status == 1 && r.stdout.contains("inconsistent_ids") && r.stdout.contains("21"))
        try FileManager.default.removeItem(atPath: a.folder + "/test.csv")
        try FileManager.default.moveItem(atPath: a.root + "/test.csv", toPath: a.folder + "/test.csv")
        // First publish, then unchanged.
        r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.json?["version"] as? Int == 1)
        r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.json?["status"] as? String == "unchanged")
        // Changed data needs --force and makes version 2; version 1 stays.
        try "id,label,Usage\n".appending(
            (1...20).map { "\($0),\($0 + 1),\($0 <= 10 ? "Public" : "Private")\n" }.joined()
        )
        .write(toFile: a.folder + "/solution.csv", atomically: true, encoding: .utf8)
        r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.status == 1 && r.stdout.contains("already_published"))
        r = try a.podium(["publish", a.folder, "--force", "--json"])
        #expect(r.json?["version"] as? Int == 2 && r.json?["rescore_due"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: a.home + "/arena/versions/1/solution.csv"))
        #expect(FileManager.default.fileExists(atPath: a.home + "/arena/versions/2/solution.csv"))
        #expect(
            try String(contentsOfFile: a.home + "/arena/versions/1/solution.csv", encoding: .utf8).contains(
                "1,1,Public"))
    }

    @Test func limitsCountOnlyAcceptedSubmissionsPerUTCDay() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 2\n  total: 3\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let day1 = "2026-11-10T10:00:00Z"
        let day1Late = "2026-11-10T23:59:59Z"
        let day2 = "2026-11-11T00:00:01Z"
        // A rejected file does not count.
        let bad = a.root + "/bad.csv"
        try "id,prediction\n1,oops\n".write(toFile: bad, atomically: true, encoding: .utf8)
        var r = try a.podium(["submit", "arena", bad, "--as", "alice", "--json"], now: day1)
        #expect(r.status == 1 && r.json?["status"] as? String == "rejected")
        #expect(try a.submit("alice", 1, 1, now: day1).status == 0)
        #expect(try a.submit("alice", 0.5, 1, now: day1Late).status == 0)
        r = try a.submit("alice", 0.1, 1, now: day1Late)
        #expect(r.status == 1)
        #expect((r.json?["error"] as? [String: Any])?["code"] as? String == "limit_reached")
        // The next UTC day allows more, up to the total.
        #expect(try a.submit("alice", 0.2, 1, now: day2).status == 0)
        r = try a.submit("alice", 0.1, 1, now: day2)
        #expect((r.json?["error"] as? [String: Any])?["code"] as? String == "limit_reached")
        // Another participant is not affected; everything is recorded.
        #expect(try a.submit("bob", 2, 2, now: day2).status == 0)
        let rows = try a.database().submissions(team: nil)
        #expect(rows.count == 7)
        #expect(
            rows.map(\.status.rawValue) == ["rejected", "scored", "scored", "rejected", "scored", "rejected", "scored"])
    }

    @Test func teamsShareLimitsAndRank() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 1\n", teams: "member,team\nalice,owls\nbob,owls\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 1, 1).status == 0)
        let r = try a.submit("bob", 0.5, 0.5)
        #expect(r.status == 1 && r.stdout.contains("limit_reached"))
        #expect(try a.submit("carol", 2, 2).status == 0)
        let board = try a.board()
        #expect(board.map { $0["team"] as? String } == ["owls", "carol"])
    }

    @Test func checkListsFlaggedSubmissions() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        _ = try a.submit("honest", 1, 1)
        _ = try a.submit("too-good", 0, 0)  // MAE 0 on both splits: perfect_score
        let r = try a.podium(["check", "arena", "--json"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let flagged = try #require(r.json?["flagged_submissions"] as? [[String: Any]])
        #expect(flagged.count == 1)
        #expect(flagged.first?["participant"] as? String == "too-good")
        #expect((flagged.first?["checks"] as? [String])?.first?.hasPrefix("perfect_score") == true)
    }

    @Test func perfectScoresAreHeldUntilCleared() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        _ = try a.submit("honest", 1, 1)
        let r = try a.submit("too-good", 0, 0)
        #expect(r.status == 0 && r.json?["held"] as? Bool == true, "\(r.stdout)")
        #expect(try a.board().map { $0["team"] as? String } == ["honest"])
        #expect(try a.podium(["clear", "arena", "1", "--reason", "x"]).status == 1)  // not held
        #expect(try a.podium(["clear", "arena", "2", "--reason", "checked by hand: a strong model"]).status == 0)
        #expect(try a.board().map { $0["team"] as? String } == ["too-good", "honest"])
        // A re-score does not hold it again once cleared.
        _ = try a.podium(["rescore", "arena"])
        #expect(try a.board().count == 2)
    }

    @Test func probingBothWays() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 100\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        func file(_ name: String, _ value: (Int) -> Double) throws -> String {
            var text = "id,prediction\n"
            for i in 1...20 { text += "\(i),\(value(i))\n" }
            let path = a.root + "/\(name).csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func checks(_ r: CommandResult) -> [String] {
            (r.json?["checks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        // Honest retrains: every row changes each time.
        for k in 0..<8 {
            let r = try a.podium([
                "submit", "arena", try file("honest\(k)") { Double($0) + 0.1 * Double(k + 1) }, "--as", "honest",
                "--json",
            ])
            #expect(!checks(r).contains("probing"), "\(r.stdout)")
        }
        // A prober flips one row at a time.
        var last: CommandResult? = nil
        for k in 0..<5 {
            last = try a.podium([
                "submit", "arena", try file("probe\(k)") { i in i <= k ? Double(i) : Double(i) + 3 }, "--as", "prober",
                "--json",
            ])
        }
        #expect(checks(last!).contains("probing"), "\(last!.stdout)")
        // A constant file.
        let constant = try a.podium(["submit", "arena", try file("constant") { _ in 10 }, "--as", "constant", "--json"])
        #expect(checks(constant).contains("probing"))
        // A re-score runs the check again, against the fingerprints of the earlier files.
        let yaml = try String(contentsOfFile: a.folder + "/challenge.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "title: Arena", with: "title: Arena, version 2").write(
            toFile: a.folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        #expect(try a.podium(["publish", a.folder, "--force"]).status == 0)
        let rescored = try a.podium(["rescore", "arena"])
        #expect(rescored.status == 0 && rescored.stdout.contains("re-scored 14"), "\(rescored.stdout)")
        let flagged =
            (try a.podium(["check", "arena", "--json"])).json?["flagged_submissions"] as? [[String: Any]] ?? []
        let probing = flagged.filter { ($0["checks"] as? [String] ?? []).contains { $0.hasPrefix("probing") } }
            .compactMap { $0["participant"] as? String }
        #expect(Set(probing) == ["prober", "constant"], "\(flagged)")
    }

    @Test func publicPrivateGapIsShownToTheInstructorOnly() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 100\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        // Twelve honest submissions: public and private errors alike, give or take 0.05.
        for k in 0..<12 {
            let noise = Double((k * 7) % 11) / 100
            #expect(try a.submit("team\(k % 6)", 0.5 + noise, 0.52 + noise / 2).status == 0)
        }
        // One submission tuned to the Public rows: MAE 0.05 there, 1.5 on Private.
        let tuned = try a.submit("tuner", 0.05, 1.5)
        #expect(tuned.status == 0)
        // The student is not told (it would reveal the private board)...
        #expect(!(tuned.stdout.contains("gap")), "\(tuned.stdout)")
        // ...the instructor is, for that submission only.
        let r = try a.podium(["check", "arena", "--json"])
        let flagged = r.json?["flagged_submissions"] as? [[String: Any]] ?? []
        let gap = flagged.filter { ($0["checks"] as? [String] ?? []).contains { $0.contains("public-private gap") } }
        #expect(gap.count == 1 && gap.first?["participant"] as? String == "tuner", "\(r.stdout)")
    }

    @Test func deadlines() throws {
        let a = try Arena(yaml: "opens: 2026-11-01T00:00:00Z\ncloses: 2026-12-01T00:00:00Z\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        var r = try a.submit("alice", 1, 1, now: "2026-10-31T23:00:00Z")
        #expect(r.status == 1 && r.stdout.contains("not_open"))
        r = try a.submit("alice", 1, 3, now: "2026-11-15T00:00:00Z")
        #expect(r.status == 0)
        // Before the close a student sees no private score.
        #expect((r.json?["scores"] as? [String: Any])?["private"] == nil)
        // After the close: scored, marked late, shows private scores, never ranked.
        r = try a.submit("bob", 0.5, 0.5, now: "2026-12-02T00:00:00Z")
        #expect(r.status == 0 && r.json?["late"] as? Bool == true)
        #expect((r.json?["scores"] as? [String: [String: Any]])?["private"]?["mae"] as? Double == 0.5)
        #expect(try a.board(now: "2026-12-02T00:00:00Z").map { $0["team"] as? String } == ["alice"])
        // The private board: hidden before the close, shown after.
        #expect(try a.podium(["leaderboard", "arena", "--private"], now: "2026-11-20T00:00:00Z").status == 1)
        let priv = try a.board(["--private"], now: "2026-12-02T00:00:00Z")
        #expect(priv.first?["score"] as? Double == 3)
    }
}
