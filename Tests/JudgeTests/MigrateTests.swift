import Foundation
import PodiumTestSupport
import Testing

/// `podium migrate`: a course from a home (SQLite) into a real PostgreSQL, then read through
/// `--store`: the same boards, lists and files; accounts keep their tokens; refusals.
@Suite("podium migrate into PostgreSQL")
struct MigrateTests {
    /// A course: the arena with three teams' scores, ties cached, a held perfect score, and accounts.
    func course() throws -> Arena {
        let a = try Arena()
        try a.publishWithTiedTeams()
        #expect(try a.submit("dave", 0, 0).status == 0)  // a perfect score: held for the instructor
        _ = try a.podium(["leaderboard", "arena", "--private", "--reveal"])  // intervals computed and cached
        #expect(try a.podium(["users", "add", "alice", "--display", "Alice M"]).status == 0)
        return a
    }

    func store(_ url: String, _ arguments: [String]) throws -> CommandResult {
        try run(
            podiumPath,
            arguments + ["--store", url, "--home", NSTemporaryDirectory() + "podium-cache-" + UUID().uuidString])
    }

    @Test func aCourseMovesWithItsBoardsFilesAndAccounts() throws {
        let a = try course()
        defer { a.remove() }
        let url = try TestPostgres.database()
        let moved = try run(podiumPath, ["migrate", "--from", a.home, "--to", url, "--json"])
        #expect(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
        let summary = try #require(moved.json)
        #expect(summary["challenges"] as? [String] == ["arena"])
        #expect(summary["submissions"] as? Int == 4 && summary["accounts"] as? Int == 1)
        #expect((summary["boards_compared"] as? Int ?? 0) >= 2)

        // Read from another machine's empty cache: every board and list the same.
        for arguments in [
            ["leaderboard", "arena", "--json"], ["leaderboard", "arena", "--private", "--reveal", "--json"],
            ["submissions", "arena", "--json"], ["submissions", "arena", "--as", "alice", "--json"],
        ] {
            let before = try a.podium(arguments)
            let after = try store(url, arguments)
            #expect(before.status == 0 && after.status == 0, "\(arguments): \(after.stderr)")
            #expect(before.stdout == after.stdout, "\(arguments)")
        }
        // The audit trail moved, event for event (publish, the hold, the account), its chain whole.
        let trail = try a.podium(["audit", "--json"])
        let movedTrail = try store(url, ["audit", "--json"])
        func events(_ r: CommandResult) -> [String] {
            (r.json?["events"] as? [[String: Any]] ?? []).map {
                "\($0["seq"] ?? "") \($0["action"] ?? "") \($0["actor"] ?? "") \($0["detail"] ?? "") \($0["hash"] ?? "")"
            }
        }
        #expect(trail.status == 0 && movedTrail.status == 0, "\(movedTrail.stderr)")
        #expect(events(trail).count >= 3 && events(trail) == events(movedTrail), "\(movedTrail.stdout)")
        #expect(summary["audit_events"] as? Int == events(trail).count)
        // The accounts moved (their secrets as stored: hashes only).
        let before = try a.podium(["users", "list", "--json"])
        let after = try store(url, ["users", "list", "--json"])
        #expect(
            after.status == 0 && after.stdout.contains("Alice M") && before.stdout == after.stdout, "\(after.stdout)")
        // New submissions continue the numbering, on the store.
        let next = try run(
            podiumPath,
            [
                "submit", "arena", try a.predictions(1, 1), "--as", "erin", "--json", "--store", url, "--home",
                a.root + "/cache",
            ])
        #expect(next.status == 0, "\(next.stdout) \(next.stderr)")
        #expect(next.json?["submission"] as? Int == 5, "\(next.stdout)")

        // A second migration into the same store is refused, changing nothing.
        let again = try run(podiumPath, ["migrate", "--from", a.home, "--to", url, "--json"])
        #expect(again.status == 1 && again.stdout.contains("already_exists"), "\(again.stdout)")
    }

    @Test func aCorruptStoredFileStopsTheMigrationOfItsChallenge() throws {
        let a = try course()
        defer { a.remove() }
        let files = a.home + "/arena/files"
        let enumerator = FileManager.default.enumerator(atPath: files)
        var victim: String?
        while let name = enumerator?.nextObject() as? String {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: files + "/" + name, isDirectory: &folder), !folder.boolValue {
                victim = files + "/" + name
                break
            }
        }
        let path = try #require(victim)
        chmod(path, 0o644)
        try "id,prediction\n1,1\n".write(toFile: path, atomically: false, encoding: .utf8)
        let url = try TestPostgres.database()
        let moved = try run(podiumPath, ["migrate", "--from", a.home, "--to", url, "--json"])
        #expect(moved.status != 0 && moved.stdout.contains("corrupt_stored_file"), "\(moved.stdout) \(moved.stderr)")
        // Nothing of the challenge reached the store.
        let boards = try store(url, ["challenges", "--json"])
        #expect(!boards.stdout.contains("\"arena\""), "\(boards.stdout)")
    }

    @Test func aBadStoreURLIsAUsageErrorAndAnAbsentServerIsUnavailable() throws {
        let bad = try run(podiumPath, ["challenges", "--store", "mysql://x/y", "--json"])
        #expect(bad.status != 0 && bad.stdout.contains("usage"), "\(bad.stdout)")
        let absent = try run(
            podiumPath,
            ["challenges", "--store", "postgres://podium@127.0.0.1:1/none", "--json", "--home", NSTemporaryDirectory()])
        #expect(absent.status == 1 && absent.stdout.contains("store_unavailable"), "\(absent.stdout) \(absent.stderr)")
    }
}
