import Foundation
import GRDB
import PodiumDomain
import PodiumSQLite
import Testing

/// DESIGN §7's names on every path that creates one: `--as`, `teams.csv`, and databases written
/// before the rule.
@Suite("Names: one participant, one board row", .serialized)
struct NameTests {
    @Test func theRule() {
        // Valid after trimming and lower-casing (ASCII only).
        #expect(Names.canonical("alice") == "alice")
        #expect(Names.canonical("Alice") == "alice")
        #expect(Names.canonical(" alice \n") == "alice")
        #expect(Names.canonical("\talice\u{00A0}") == "alice")  // NBSP is white space: trimmed
        #expect(Names.canonical("a.b_c-d9") == "a.b_c-d9")
        #expect(Names.canonical(String(repeating: "x", count: 40)) == String(repeating: "x", count: 40))
        // Refused.
        for bad in [
            "", "   ", "\u{200B}", "alice\u{200B}", "\u{200B}alice", "al ice", "al\tice", "al\u{0}ice", "élise",
            "алиса", "\u{212A}it",
            "-alice", ".alice", "_alice", "alice!", "a,b", "a/b", String(repeating: "x", count: 41), "\u{FEFF}alice",
        ] {
            #expect(Names.canonical(bad) == nil, "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func spellingsOfOneNameAreOneParticipant() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 2\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 2, 2).status == 0)
        let second = try a.submit("Alice", 1, 1)
        #expect(second.status == 0 && second.json?["participant"] as? String == "alice", "\(second.stdout)")
        // A third spelling is the same participant: over the limit, not a new board row.
        let third = try a.submit("alice ", 0.5, 0.5)
        #expect(
            third.status == 1 && (third.json?["error"] as? [String: Any])?["code"] as? String == "limit_reached",
            "\(third.stdout)")
        for invisible in ["\u{200B}", "ali\u{200B}ce", "al ice", "alice\u{0007}"] {
            let r = try a.submit(invisible, 0.1, 0.1)
            #expect(
                r.status == 1 && (r.json?["error"] as? [String: Any])?["code"] as? String == "invalid_name",
                "\(r.stdout)")
        }
        #expect(try a.board().map { $0["team"] as? String } == ["alice"])
        let rows = try a.database().submissions(team: nil)
        #expect(Set(rows.map(\.participant)) == ["alice"])
        // `submissions --as` folds the same way.
        let listed = try a.podium(["submissions", "arena", "--as", " ALICE", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any])?.count == 3)
    }

    @Test func emptyNameIsAUsageError() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        for name in ["", "  "] {
            #expect(try a.podium(["submit", "arena", try a.predictions(1, 1), "--as", name]).status == 2)
            #expect(try a.podium(["submissions", "arena", "--as", name]).status == 2)
        }
        #expect(try a.database().submissions(team: nil).isEmpty)
    }

    @Test func aTeamNameIsNotAParticipant() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 1\n", teams: "member,team\nalice,red\nbob,red\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 1, 1).status == 0)
        for name in ["red", "Red", " red"] {
            let r = try a.submit(name, 0.5, 0.5)
            #expect(
                r.status == 1 && (r.json?["error"] as? [String: Any])?["code"] as? String == "invalid_name",
                "\(r.stdout)")
        }
        #expect(try a.board().map { $0["team"] as? String } == ["red"])
    }

    @Test func teamsCsvCellsAreNames() throws {
        // Trimmed and folded cells: " Alice " is alice, in team red.
        let a = try Arena(yaml: "submissions:\n  per_day: 1\n", teams: "member,team\n Alice , Red \nBob,red\n")
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        let r = try a.submit("alice", 1, 1)
        #expect(r.json?["team"] as? String == "red", "\(r.stdout)")
        #expect(try a.submit("BOB", 0.5, 0.5).status == 1)  // red's one submission today is used
        // Refused at publish: a cell that is not a name, a member listed twice once folded, a
        // team named like a member of another team.
        for (teams, row, column) in [
            ("member,team\nal ice,red\n", 2, "member"), ("member,team\nalice,r\u{200B}ed\n", 2, "team"),
            ("member,team\nalice,red\nALICE,blue\n", 3, "member"), ("member,team\nalice,bob\nbob,owls\n", 3, "member"),
        ] {
            let b = try Arena(teams: teams)
            defer { b.remove() }
            let p = try b.podium(["publish", b.folder, "--json"])
            let error = p.json?["error"] as? [String: Any]
            #expect(p.status == 1, "\(teams): \(p.stdout) \(p.stderr)")
            #expect(
                error?["code"] as? String
                    == (row == 3 && column == "member" && teams.contains("ALICE") ? "duplicate_id" : "invalid_name"),
                "\(p.stdout)")
            #expect(
                error?["file"] as? String == "teams.csv" && error?["row"] as? Int == row
                    && error?["column"] as? String == column, "\(p.stdout)")
        }
        // A member in a team of its own name is fine (what no teams.csv means anyway).
        let c = try Arena(teams: "member,team\nalice,alice\nbob,owls\n")
        defer { c.remove() }
        #expect(try c.podium(["publish", c.folder]).status == 0)
    }

    /// A database written before the rule: names that fold to a valid one are folded when it is
    /// opened (one participant, one limit, one row); others are kept, read and shown as stored.
    @Test func namesStoredBeforeTheRule() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 3\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        #expect(try a.submit("alice", 2, 2).status == 0)
        for (name, score) in [("Alice", 1.0), ("alice ", 0.5), ("Bob Smith", 3.0)] {
            try a.insertOld(name, publicScore: score)
        }
        let board = try a.board()
        #expect(board.map { $0["team"] as? String } == ["alice", "Bob Smith"], "\(board)")
        #expect(board.first?["entries"] as? Int == 3)
        // alice has 3 submissions today now: the limit applies to all her spellings.
        let r = try a.submit("ALICE", 0.1, 0.1)
        #expect((r.json?["error"] as? [String: Any])?["code"] as? String == "limit_reached", "\(r.stdout)")
        // The old name that is not valid is still listed, and can no longer be submitted as.
        #expect(try a.podium(["submissions", "arena", "--as", "Bob Smith"]).stdout.contains("Bob Smith"))
        #expect(try a.submit("Bob Smith", 1, 1).status == 1)
    }
}
