import Foundation
import PodiumSQLite
import Testing

/// DESIGN §4: with `display: ladder`, until `closes`, a student sees only the Ladder's shown
/// score in every output; and boards and lists never label a score with a version it was not
/// scored on.
@Suite("what students see: the Ladder and pending scores", .serialized)
struct StudentViewTests {
    static let closes = "2030-01-01T00:00:00Z"
    static let before = "2029-06-01T00:00:00Z"
    static let after = "2030-02-01T00:00:00Z"

    /// Public MAEs whose exact digits never appear in the Ladder's values (step 0.5: 3.0, 3.0, 2.0).
    static let exact = ["3.1234", "2.9876", "2.2222"]

    /// Every output a student can produce before the close, as (what, text).
    static func studentOutputs(_ a: Arena, receipts: [(String, String)]) throws -> [(String, String)] {
        var out = receipts
        for extra in [[], ["--json"]] {
            let r = try a.podium(["submissions", "arena", "--as", "alice"] + extra, now: before)
            #expect(r.status == 0, "\(r.stderr)")
            out.append(("submissions --as \(extra)", r.stdout))
        }
        for format in ["table", "csv", "json", "markdown", "html"] {
            let r = try a.podium(["leaderboard", "arena", "--format", format], now: before)
            #expect(r.status == 0, "\(r.stderr)")
            out.append(("leaderboard \(format)", r.stdout))
        }
        let page = a.root + "/board.html"
        #expect(try a.podium(["leaderboard", "arena", "--format", "html", "--output", page], now: before).status == 0)
        out.append(("html page", try String(contentsOfFile: page, encoding: .utf8)))
        return out
    }

    @Test func theLadderHidesTheExactPublicScoreFromStudentsInEveryOutput() throws {
        let a = try Arena(
            yaml: "leaderboard:\n  display: ladder\n  step: 0.5\ncloses: \(Self.closes)\nsubmissions:\n  per_day: 100\n"
        )
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        // Each submission, in text and in JSON (same score twice: the text run is the second).
        var receipts: [(String, String)] = []
        var shown: [Double?] = []
        for error in [3.1234567, 2.9876543, 2.2222222] {
            let json = try a.podium(
                ["submit", "arena", try a.predictions(error, 7.7777), "--as", "alice", "--json"], now: Self.before)
            #expect(json.status == 0, "\(json.stdout) \(json.stderr)")
            receipts.append(("submit --json", json.stdout))
            shown.append(((json.json?["scores"] as? [String: Any])?["public"] as? [String: Any])?["mae"] as? Double)
            let text = try a.podium(
                ["submit", "arena", try a.predictions(error, 7.7777), "--as", "alice"], now: Self.before)
            #expect(text.status == 0, "\(text.stdout) \(text.stderr)")
            receipts.append(("submit", text.stdout))
        }
        // The Ladder's answers: 3.0, unchanged by a gain under the step, then 2.0.
        #expect(shown == [3.0, 3.0, 2.0])
        _ = try a.submit("bob", 4.4444444, 1)  // a second team, so charts and ranks have company
        for (what, text) in try Self.studentOutputs(a, receipts: receipts) {
            for digits in Self.exact + ["4.4444", "7.777"] {
                #expect(!text.contains(digits), "\(what) shows \(digits):\n\(text)")
            }
        }
        // The instructor's list (no --as) has the exact score, and the Ladder's beside it.
        let all = try a.podium(["submissions", "arena", "--json"], now: Self.before)
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8))) as? [[String: Any]])
        #expect(rows.first?["public"] as? Double ?? 0 > 3.12 && rows.first?["shown"] as? Double == 3.0, "\(all.stdout)")
        #expect(try a.podium(["submissions", "arena"], now: Self.before).stdout.contains("3.1234"))
        // After the close the student sees the exact scores too.
        let late = try a.podium(["submissions", "arena", "--as", "alice", "--json"], now: Self.after)
        #expect(late.stdout.contains("3.1234") && late.stdout.contains("7.777"), "\(late.stdout)")
    }

    @Test func aLadderSecondaryMetricDoesNotLeakTheExactScoreEither() throws {
        // rmse equals mae for a constant error: it would tell the exact score.
        let a = try Arena(yaml: "leaderboard:\n  display: ladder\n  step: 0.5\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let r = try a.submit("alice", 3.1234567, 1)
        #expect(r.status == 0)
        #expect(!r.stdout.contains("3.1234"), "\(r.stdout)")
        let scores = try #require((r.json?["scores"] as? [String: Any])?["public"] as? [String: Any])
        #expect(scores["mae"] as? Double == 3.0)
        #expect(scores["rmse"] is NSNull, "\(scores)")
    }

    @Test func withoutTheLadderStudentsSeeExactScores() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let r = try a.submit("alice", 3.1234567, 1)
        #expect(r.stdout.contains("3.1234"))
        #expect(try a.podium(["submissions", "arena", "--as", "alice"]).stdout.contains("3.1234"))
    }

    /// A challenge with three scored submissions on version 1, then version 2 with a new answer key.
    static func republished() throws -> Arena {
        let a = try Arena()
        try a.podium(["publish", a.folder])
        for (who, e) in [("alice", 1.0), ("bob", 2.0), ("carol", 3.0)] { _ = try a.submit(who, e, e) }
        var solution = "id,label,Usage\n"
        for i in 1...20 { solution += "\(i),\(Double(i) + 0.5),\(i <= 10 ? "Public" : "Private")\n" }
        try solution.write(toFile: a.folder + "/solution.csv", atomically: true, encoding: .utf8)
        let r = try a.podium(["publish", a.folder, "--force"])
        precondition(r.status == 0, r.stderr)
        return a
    }

    @Test func boardsAndListsSayWhatIsPendingAfterARepublish() throws {
        let a = try Self.republished()
        defer { a.remove() }
        // A new submission is scored on version 2 at once; the three others wait for rescore.
        let receipt = try a.submit("dave", 0.25, 0.25)
        #expect((receipt.json?["rank"] as? [String: Any])?["pending"] as? Int == 3, "\(receipt.stdout)")
        for extra in [[String](), ["--private", "--reveal"]] {
            let r = try a.podium(["leaderboard", "arena", "--json"] + extra)
            let board = try #require(r.json, "\(r.stdout) \(r.stderr)")
            #expect(board["version"] as? Int == 2)
            #expect(board["pending"] as? Int == 3, "\(r.stdout)")
            let entries = try #require(board["entries"] as? [[String: Any]])
            let versions = Dictionary(
                uniqueKeysWithValues: entries.map { ($0["team"] as! String, $0["scored_version"] as? Int) })
            #expect(versions == ["alice": 1, "bob": 1, "carol": 1, "dave": 2], "\(entries)")
        }
        for format in ["table", "markdown", "html"] {
            let text = try a.podium(["leaderboard", "arena", "--format", format]).stdout
            #expect(text.contains("3 scores pending"), "\(format): \(text)")
            #expect(text.contains("v1"), "\(format): \(text)")
        }
        let csv = try a.podium(["leaderboard", "arena", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.first?.hasSuffix(",scored_version") == true, "\(csv)")
        #expect(
            csv.dropFirst().map { $0.split(separator: ",").last.map(String.init) } == ["2", "1", "1", "1"], "\(csv)")
        // The lists: each row says which version it was scored on and whether a re-score is due.
        let list = try #require(
            (try JSONSerialization.jsonObject(with: Data(try a.podium(["submissions", "arena", "--json"]).stdout.utf8)))
                as? [[String: Any]])
        #expect(list.map { $0["scored_version"] as? Int } == [1, 1, 1, 2])
        #expect(list.map { $0["pending"] as? Bool } == [true, true, true, false])
        let text = try a.podium(["submissions", "arena"]).stdout
        #expect(text.contains("3 scores pending") && text.contains("v1"), "\(text)")
        let mine = try a.podium(["submissions", "arena", "--as", "alice"]).stdout
        #expect(mine.contains("1 score pending") && mine.contains("v1"), "\(mine)")
        // The count agrees with what rescore would do; after it nothing is pending or marked.
        #expect(try a.podium(["rescore", "arena", "--dry-run", "--json"]).json?["pending"] as? Int == 3)
        #expect(try a.podium(["rescore", "arena"]).status == 0)
        let board = try #require(try a.podium(["leaderboard", "arena", "--json"]).json)
        #expect(board["pending"] as? Int == 0)
        #expect((board["entries"] as? [[String: Any]])?.allSatisfy { $0["scored_version"] as? Int == 2 } == true)
        for format in ["table", "markdown", "html"] {
            #expect(!(try a.podium(["leaderboard", "arena", "--format", format]).stdout.contains("pending")))
        }
        #expect(!(try a.podium(["submissions", "arena"]).stdout.contains("pending")))
    }
}
