import Foundation
import Testing

/// What a student may learn, as an attacker would ask: exact scores under `display: ladder`,
/// private scores before `closes`, another participant's submissions, a second chance at the
/// final selection once the private board is public. Each failing test here is a finding of
/// NOTES-security.md.
@Suite("An attacker's review of the API", .serialized)
struct AttackReviewTests {
    /// Every number in a text (JSON or CSV).
    static func numbers(_ text: String) -> [Double] {
        var out: [Double] = []
        var current = ""
        for c in text + " " {
            if c.isNumber || c == "." || c == "-" || c == "e" || c == "E" {
                current.append(c)
            } else {
                if let v = Double(current) { out.append(v) }
                current = ""
            }
        }
        return out
    }

    static func mentions(_ text: String, _ values: [Double]) -> [Double] {
        numbers(text).filter { n in values.contains { abs($0 - n) < 1e-9 } }
    }

    /// `display: ladder` (step 0.25): a student sees the Ladder's 0.25 for public MAEs of 0.3 and
    /// 0.2 — in the submission, the list, the board (JSON and CSV), the challenge — never the
    /// exact values, nor another metric's public value, nor a private one.
    @Test func underTheLadderAStudentSeesOnlyTheShownScore() async throws {
        let s = try LiveServer(yaml: "closes: 2099-01-01T00:00:00Z\nleaderboard:\n  display: ladder\n  step: 0.25\n")
        defer { s.remove() }
        try s.account("alice")
        try s.account("prof", role: "instructor")
        try s.start()
        #expect(try await s.submit(try s.predictions(0.3, 0.7), as: "alice").status == 202)
        #expect(try await s.submit(try s.predictions(0.2, 0.9), as: "alice").status == 202)
        try await s.scored("arena-1", as: "alice")
        try await s.scored("arena-2", as: "alice")
        // The control: the instructor sees the exact public scores.
        let exact = try await s.request("GET", "/api/v1/submissions/arena-1", as: "prof")
        #expect(!Self.mentions(exact.text, [0.3]).isEmpty, "the control: \(exact.text)")
        let hidden = [0.3, 0.2, 0.7, 0.9]
        for path in [
            "/api/v1/submissions/arena-1", "/api/v1/submissions/arena-2", "/api/v1/submissions/arena-2?wait=1",
            "/api/v1/challenges/arena/submissions", "/api/v1/challenges/arena/leaderboard",
            "/api/v1/challenges/arena/leaderboard?format=csv", "/api/v1/challenges/arena", "/api/v1/challenges",
        ] {
            let reply = try await s.request("GET", path, as: "alice")
            #expect(reply.status == 200, "\(path): \(reply.text)")
            let leaked = Self.mentions(reply.text, hidden)
            #expect(leaked.isEmpty, "\(path) shows \(leaked) to a student under the Ladder: \(reply.text)")
        }
        let one = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        let scores = one.json?["scores"] as? [String: Any]
        let publicScores = scores?["public"] as? [String: Any]
        #expect(publicScores?["mae"] as? Double == 0.25, "\(one.text)")
        #expect(!(publicScores?["rmse"] is Double), "another metric's public value gives the exact one away")
        #expect(scores?["private"] == nil)
        let list = try await s.request("GET", "/api/v1/challenges/arena/submissions", as: "alice")
        for row in list.array ?? [] {
            #expect(row["public"] as? Double == 0.25 && row["private"] == nil, "\(row)")
        }
    }

    /// The final selection decides the private board; once `closes` has passed the private board
    /// is public, so a selection made then picks by private score. It must be refused.
    @Test func theSelectionCannotChangeAfterTheClose() async throws {
        let s = try LiveServer(yaml: "closes: 2030-01-01T00:00:00Z\nsubmissions:\n  final: 1\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start(environment: ["PODIUM_NOW": "2029-06-01T00:00:00Z"])
        // arena-1: better in public, worse in private; arena-2 the opposite.
        #expect(try await s.submit(try s.predictions(0.1, 5), as: "alice").status == 202)
        #expect(try await s.submit(try s.predictions(0.5, 0), as: "alice").status == 202)
        try await s.scored("arena-1", as: "alice")
        try await s.scored("arena-2", as: "alice")
        // Before the close: choosing is allowed (the control).
        let before = try await s.request(
            "PUT", "/api/v1/challenges/arena/selection", as: "alice", body: Data(#"{"ids": [1]}"#.utf8),
            headers: ["Content-Type": "application/json"])
        #expect(before.status == 200, "\(before.text)")
        s.stop()
        try s.start(environment: ["PODIUM_NOW": "2030-06-01T00:00:00Z"])
        let board = try await s.request("GET", "/api/v1/challenges/arena/leaderboard?board=private", as: "alice")
        #expect(board.status == 200, "after the close the private board is public: \(board.text)")
        let after = try await s.request(
            "PUT", "/api/v1/challenges/arena/selection", as: "alice", body: Data(#"{"ids": [2]}"#.utf8),
            headers: ["Content-Type": "application/json"])
        #expect(
            [403, 409].contains(after.status),
            "a selection after the close was accepted (\(after.status)): \(after.text)")
        let again = try await s.request("GET", "/api/v1/challenges/arena/leaderboard?board=private", as: "alice")
        #expect(again.text == board.text, "the private board changed after the close:\n\(board.text)\n\(again.text)")
    }

    /// DESIGN §7: "A team name never equals an account name." Publishing a teams.csv whose team
    /// is named like an existing account puts its members on that account's earlier
    /// submissions (recorded with team = the account's own name).
    @Test func aTeamNamedLikeAnAccountDoesNotOpenThatAccountsSubmissions() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 50\n")
        defer { s.remove() }
        try s.account("alice")
        try s.account("bob")
        try s.start()
        #expect(try await s.submit(try s.predictions(0.5), as: "bob").status == 202)
        try await s.scored("arena-1", as: "bob")
        #expect(try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice").status == 404)
        // The instructor publishes a new version with a team called "bob" (bob not in it).
        try "member,team\nalice,bob\n".write(toFile: s.folder + "/teams.csv", atomically: true, encoding: .utf8)
        let published = try s.podium(["publish", s.folder, "--force"] + LiveServer.allow)
        let seen = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        #expect(
            seen.status == 404,
            "publish exit \(published.status) \(published.stderr); alice reads bob's submission: \(seen.text)")
        let list = try await s.request("GET", "/api/v1/challenges/arena/submissions", as: "alice")
        #expect(
            !(list.array ?? []).contains { $0["participant"] as? String == "bob" }, "alice's list: \(list.text)")
    }

    /// Two public-perfect submissions, one also perfect on the private rows, one not: before
    /// `closes` what the student sees of them must not differ in anything derived from the
    /// private rows (`held`, `checks`).
    @Test func whatAStudentSeesBeforeTheCloseDoesNotDependOnPrivateRows() async throws {
        let s = try LiveServer(yaml: "closes: 2099-01-01T00:00:00Z\nsubmissions:\n  per_day: 50\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        #expect(try await s.submit(try s.predictions(0, 0), as: "alice").status == 202)
        #expect(try await s.submit(try s.predictions(0, 3), as: "alice").status == 202)
        try await s.scored("arena-1", as: "alice")
        try await s.scored("arena-2", as: "alice")
        let one = try await s.request("GET", "/api/v1/submissions/arena-1", as: "alice")
        let two = try await s.request("GET", "/api/v1/submissions/arena-2", as: "alice")
        #expect(
            one.json?["held"] as? Bool == two.json?["held"] as? Bool,
            "held differs: \(one.json?["held"] ?? "-") vs \(two.json?["held"] ?? "-")")
        #expect(
            "\(one.json?["checks"] ?? "none")" == "\(two.json?["checks"] ?? "none")",
            "checks differ: \(one.json?["checks"] ?? "none") vs \(two.json?["checks"] ?? "none")")
    }
}
