import Foundation
import Testing

/// What a new user looked for and did not find: `--version`, `challenges`, `info`, what is left
/// today after each submit and when the day resets, an example in every `--help`, `--format` in
/// any case, and hints that name the home in use.
@Suite("Finding one's way: version, challenges, info, what is left today")
struct DiscoveryTests {
    static let commands = [
        "challenges", "info", "score", "publish", "submit", "submissions", "select", "leaderboard", "rescore", "check",
        "clear", "unpack", "users", "serve", "worker", "migrate", "audit", "backup", "restore", "bundle",
    ]

    @Test func versionAndAnExampleInEveryHelp() throws {
        let version = try run(podiumPath, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("podium 0."), "\(version.stdout)")
        #expect(try run(podiumPath, ["--help"]).stdout.contains("Example"))
        for command in Self.commands {
            let help = try run(podiumPath, [command, "--help"])
            #expect(
                help.status == 0 && help.stdout.contains("Example:\n  podium \(command)"), "\(command): \(help.stdout)")
        }
    }

    @Test func challengesAndInfoSayWhatIsLeftAndWhenTheDayResets() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 3\n  total: 10\ncloses: 2030-01-01T00:00:00Z\n")
        defer { a.remove() }
        let empty = try a.podium(["challenges"])
        #expect(empty.status == 1 && empty.stderr.contains(a.home), "the hint names the home in use: \(empty.stderr)")
        #expect(try a.podium(["publish", a.folder] + Arena.allowances(["publish"])).status == 0)
        let now = "2026-12-01T21:30:00Z"
        var list = try a.podium(["challenges", "--as", "Alice", "--json"], now: now)
        var rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["id"] as? String == "arena" && rows[0]["state"] as? String == "open")
        #expect(rows[0]["remaining_today"] as? Int == 3 && rows[0]["remaining_total"] as? Int == 10)
        #expect(rows[0]["day_resets_at"] as? String == "2026-12-02T00:00:00.000Z", "\(rows[0])")
        // Two submissions today, one refused file (never counted): 1 left today, 8 in all.
        for error in [0.5, 0.25] {
            let r = try a.podium(
                ["submit", "arena", try a.predictions(error, error), "--as", "alice", "--json"], now: now)
            #expect(r.json?["remaining_today"] as? Int == (error == 0.5 ? 2 : 1), "\(r.stdout)")
        }
        let bad = a.root + "/bad.csv"
        try "id,prediction\n1,x\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try a.podium(["submit", "arena", bad, "--as", "alice"], now: now)
        #expect(refused.status == 1 && refused.stdout.contains("1 of 3 submissions left today"), "\(refused.stdout)")
        list = try a.podium(["challenges", "--as", "alice", "--json"], now: now)
        rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows[0]["remaining_today"] as? Int == 1 && rows[0]["remaining_total"] as? Int == 8)
        // The next UTC day starts over.
        let tomorrow = try a.podium(["info", "arena", "--as", "alice", "--json"], now: "2026-12-02T00:00:01Z")
        #expect(tomorrow.json?["remaining_today"] as? Int == 3 && tomorrow.json?["remaining_total"] as? Int == 8)
        // Public files only: never the answer key.
        let files = try #require(tomorrow.json?["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["name"] as? String } == ["train.csv", "test.csv"])
        let text = try a.podium(["info", "arena", "--as", "alice"], now: now)
        #expect(text.stdout.contains("alice: 1 of 3 left today") && !text.stdout.contains("solution"), "\(text.stdout)")
        let missing = try a.podium(["info", "nope"])
        #expect(missing.status == 1 && missing.stderr.contains(a.home), "\(missing.stderr)")
    }

    @Test func formatInAnyCase() throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder] + Arena.allowances(["publish"])).status == 0)
        _ = try a.submit("alice", 0.5, 0.5)
        let html = try a.podium(["leaderboard", "arena", "--format", "HTML"])
        #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>"), "\(html.stderr)")
        #expect(try a.podium(["leaderboard", "arena", "--format", "Markdown"]).stdout.contains("| rank |"))
    }
}
