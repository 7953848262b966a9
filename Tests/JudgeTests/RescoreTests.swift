import Foundation
import PodiumDomain
import PodiumFiles
import PodiumSQLite
import Testing

@Suite("rescore and crash safety", .serialized)
struct RescoreTests {
    /// A challenge with `count` submissions from `teams` participants, then a new version whose
    /// labels are shifted on the Private rows (so private ranks change).
    static func prepared(count: Int = 12, teams: Int = 4) throws -> Arena {
        let a = try Arena(yaml: "submissions:\n  per_day: 100\n")
        try a.podium(["publish", a.folder])
        for k in 0..<count {
            _ = try a.submit("p\(k % teams)", Double(k % 7) * 0.3, Double((k * 5) % 11) * 0.2)
        }
        // Version 2: the Public labels move by +1.5 (a fixed answer key).
        var solution = "id,label,Usage\n"
        for i in 1...20 { solution += "\(i),\(Double(i) + (i <= 10 ? 1.5 : 0)),\(i <= 10 ? "Public" : "Private")\n" }
        try solution.write(toFile: a.folder + "/solution.csv", atomically: true, encoding: .utf8)
        let r = try a.podium(["publish", a.folder, "--force"])
        precondition(r.status == 0, r.stderr)
        return a
    }

    @Test func rescoreKeepsOldScoresAndReportsMoves() throws {
        let a = try Self.prepared()
        defer { a.remove() }
        let before = try a.board(["--version", "1"])
        // Dry run: reports, writes nothing.
        var r = try a.podium(["rescore", "arena", "--dry-run", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["pending"] as? Int == 12)
        #expect(try a.database().scores(withReports: true).count == 12)
        r = try a.podium(["rescore", "arena", "--json", "--jobs", "2"])
        #expect(r.json?["scored"] as? Int == 12)
        let moves = try #require(r.json?["moves"] as? [[String: Any]])
        #expect(!moves.isEmpty)
        let scores = try a.database().scores(withReports: true)
        #expect(scores.count == 24)
        #expect(Set(scores.map(\.version)) == [1, 2])
        // Version 1's board is unchanged; version 2's differs.
        #expect(try a.board(["--version", "1"]).map { $0["team"] as? String } == before.map { $0["team"] as? String })
        #expect(
            try a.board(["--version", "1"]).map { $0["score"] as? Double } == before.map { $0["score"] as? Double })
        #expect(try a.board().map { $0["score"] as? Double } != before.map { $0["score"] as? Double })
        // Nothing left: a second run does nothing.
        r = try a.podium(["rescore", "arena", "--json"])
        #expect(r.json?["pending"] as? Int == 0)
        // Progress goes to stderr as plain lines when not on a terminal.
        #expect(try a.podium(["rescore", "arena"]).stdout.contains("re-scored 0"))
    }

    @Test func missingOrCorruptStoredFilesAreReportedByName() throws {
        let a = try Self.prepared(count: 3, teams: 3)
        defer { a.remove() }
        let rows = try a.database().submissions(team: nil)
        let first = a.home + "/arena/files/\(rows[0].fileSha256.prefix(2))/\(rows[0].fileSha256)"
        let second = a.home + "/arena/files/\(rows[1].fileSha256.prefix(2))/\(rows[1].fileSha256)"
        try FileManager.default.removeItem(atPath: first)
        try "id,prediction\n1,1\n".write(toFile: second, atomically: false, encoding: .utf8)
        let r = try a.podium(["rescore", "arena", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["failed"] as? Int == 2, "\(r.stdout)")
        let list = try a.podium(["submissions", "arena"]).stdout
        #expect(list.contains("missing_stored_file") && list.contains(rows[0].fileSha256))
        #expect(list.contains("corrupt_stored_file") && list.contains(rows[1].fileSha256))
    }

    /// `kill -9` at random moments during rescore: the database stays intact, and a rerun ends
    /// with exactly the scores of an uninterrupted run.
    @Test func killedRescoreResumesToTheSameResult() throws {
        let clean = try Self.prepared(count: 30, teams: 6)
        defer { clean.remove() }
        try clean.podium(["rescore", "arena"])
        let expected = try Self.version2Scores(clean)
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            let a = try Self.prepared(count: 30, teams: 6)
            defer { a.remove() }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: podiumPath)
            p.arguments = ["rescore", "arena", "--home", a.home, "--jobs", String(1 + trial % 2)]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...120_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(try a.database().integrityCheck() == "ok")
            let r = try a.podium(["rescore", "arena"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try Self.version2Scores(a) == expected, "trial \(trial)")
        }
    }

    /// `kill -9` at random moments during submit: intact database, every accepted submission's
    /// file present and matching its hash, nothing half-written.
    @Test func killedSubmitLeavesConsistentState() throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 1000\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            let file = try a.predictions(Double(trial) * 0.1, 1)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: podiumPath)
            p.arguments = ["submit", "arena", file, "--as", "p\(trial % 3)", "--home", a.home]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...40_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        let db = try a.database()
        #expect(try db.integrityCheck() == "ok")
        let store = FileStore(root: a.home + "/arena/files")
        for s in try db.submissions(team: nil) {
            #expect(store.verify(s.fileSha256), "submission \(s.id)")
            #expect(SubmissionStatus.allCases.contains(s.status))
        }
        // Every file under a content name holds that content (interrupted copies stay under
        // their temporary .incoming names, which no row names).
        let stored = (try? FileManager.default.subpathsOfDirectory(atPath: a.home + "/arena/files")) ?? []
        for path in stored where path.count == 67 && !path.contains(".incoming") {
            #expect(store.verify(String(path.suffix(64))), "\(path)")
        }
        // Submissions cut off before scoring are picked up by rescore.
        let r = try a.podium(["rescore", "arena", "--json"])
        #expect(r.status == 0)
        #expect(try db.submissions(team: nil).allSatisfy { $0.status.isFinal })
    }

    static func version2Scores(_ a: Arena) throws -> [String] {
        try a.database().scores(withReports: true).filter { $0.version == 2 }.sorted {
            $0.submissionId < $1.submissionId
        }
        .map { "\($0.submissionId) \($0.status) \($0.publicPrimary ?? -1) \($0.privatePrimary ?? -1)" }
    }
}
