import Foundation
import PodiumSQLite
import Testing

/// DESIGN §4: two `publish` runs of the same challenge at once end as one publish and one
/// `unchanged` (or a clear `busy`), never a failure; forced publishes of different data get
/// consecutive versions.
@Suite("publish races, as real processes", .serialized)
struct PublishRaceTests {
    /// Starts `podium ARGUMENTS` for each argument list at once and waits for all of them.
    static func together(_ a: Arena, _ runs: [[String]], environment: [String: String] = [:]) throws -> [(
        status: Int32, stdout: String, stderr: String
    )] {
        let id = UUID().uuidString
        let processes: [Process] = try runs.enumerated().map { k, arguments in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: podiumPath)
            p.arguments = arguments + Arena.allowances(arguments) + ["--home", a.home]
            var env = ProcessInfo.processInfo.environment
            for (key, value) in environment { env[key] = value }
            p.environment = env
            p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: a.root + "/out-\(id)-\(k)").touched())
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: a.root + "/err-\(id)-\(k)").touched())
            p.standardInput = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        return try processes.enumerated().map { k, p in
            (
                p.terminationStatus, try String(contentsOfFile: a.root + "/out-\(id)-\(k)", encoding: .utf8),
                try String(contentsOfFile: a.root + "/err-\(id)-\(k)", encoding: .utf8)
            )
        }
    }

    /// The version folders of the arena's snapshot (no staging or orphan left behind).
    static func versionFolders(_ a: Arena) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: a.home + "/arena/versions").sorted()
    }

    @Test func twoPublishesOfTheSameFolderEndAsOnePublishAndOneUnchanged() throws {
        // 20 rounds, each on a fresh home: the first publish also creates the database, the
        // window where the old code failed most (a migration or WAL switch racing another).
        for round in 0..<20 {
            let a = try Arena()
            defer { a.remove() }
            let runs = try Self.together(a, [["publish", a.folder, "--json"], ["publish", a.folder, "--json"]])
            for r in runs {
                #expect(r.status == 0, "round \(round): \(r.stdout) \(r.stderr)")
            }
            let statuses = runs.map { r in
                ((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any])?["status"] as? String
                    ?? r.stdout
            }
            #expect(statuses.sorted() == ["published", "unchanged"], "round \(round): \(statuses)")
            #expect(try a.database().versions().map(\.number) == [1], "round \(round)")
            #expect(try Self.versionFolders(a) == ["1"], "round \(round)")
        }
    }

    @Test func commandsThatOpenTheDatabaseWhileTheFirstPublishCreatesItNeverFail() throws {
        // A submit or a board read as the challenge's database appears must not run the
        // migrations alongside publish ("table already exists" was exit 3).
        for round in 0..<20 {
            let a = try Arena()
            defer { a.remove() }
            let readers = [
                ["leaderboard", "arena", "--json"], ["submissions", "arena", "--json"],
                ["leaderboard", "arena", "--json"],
            ]
            let runs = try Self.together(a, [["publish", a.folder, "--json"]] + readers)
            #expect(runs[0].status == 0, "round \(round): \(runs[0].stdout) \(runs[0].stderr)")
            for r in runs.dropFirst() {
                // Before the publish commits, "no such challenge" (or, before it has made the home,
                // "no home") is the right answer; never a bug.
                let code =
                    (((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any])?["error"]
                    as? [String: Any])?["code"] as? String
                let notYet = ["unknown_challenge", "home_unavailable"].contains(code ?? "")
                #expect(r.status == 0 || (r.status == 1 && notYet), "round \(round): \(r.stdout) \(r.stderr)")
            }
        }
    }

    @Test func forcedPublishesOfDifferentDataGetConsecutiveVersions() throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        // Two more folders of the same challenge, each with its own answer key.
        var keys: [String] = []
        func variant(_ k: Int) throws -> String {
            let folder = a.root + "/variant-\(k)"
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.copyItem(atPath: a.folder, toPath: folder)
            var solution = "id,label,Usage\n"
            for i in 1...20 { solution += "\(i),\(Double(i) + Double(k) / 10),\(i <= 10 ? "Public" : "Private")\n" }
            try solution.write(toFile: folder + "/solution.csv", atomically: true, encoding: .utf8)
            keys.append(solution)
            return folder
        }
        var expected = 1
        for round in 0..<10 {
            let first = try variant(2 * round + 1)
            let second = try variant(2 * round + 2)
            let runs = try Self.together(
                a, [["publish", first, "--force", "--json"], ["publish", second, "--force", "--json"]])
            for r in runs { #expect(r.status == 0, "round \(round): \(r.stdout) \(r.stderr)") }
            let versions = runs.compactMap { r in
                ((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any])?["version"] as? Int
            }
            #expect(versions.sorted() == [expected + 1, expected + 2], "round \(round): \(runs.map(\.stdout))")
            expected += 2
        }
        #expect(try a.database().versions().map(\.number) == Array(1...expected))
        #expect(try Self.versionFolders(a) == (1...expected).map(String.init).sorted())
        // Each variant's answer key is in exactly one version folder: nothing lost, nothing mixed.
        let snapshots = try (2...expected).map {
            try String(contentsOfFile: a.home + "/arena/versions/\($0)/solution.csv", encoding: .utf8)
        }
        #expect(Set(snapshots) == Set(keys) && snapshots.count == keys.count)
    }

    @Test func aPublishThatCannotGetTheLockSaysBusy() throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        // Another publisher holds the challenge's lock (this test process plays it).
        let fd = open(a.home + "/arena/publish.lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        var r = try run(
            podiumPath, ["publish", a.folder, "--json"] + Arena.allowances(["publish"]) + ["--home", a.home],
            environment: ["PODIUM_LOCK_WAIT": "0.3"])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect((r.json?["error"] as? [String: Any])?["code"] as? String == "busy", "\(r.stdout)")
        flock(fd, LOCK_UN)
        close(fd)
        r = try run(
            podiumPath, ["publish", a.folder, "--json"] + Arena.allowances(["publish"]) + ["--home", a.home],
            environment: ["PODIUM_LOCK_WAIT": "0.3"])
        #expect(r.status == 0 && r.json?["status"] as? String == "unchanged", "\(r.stdout) \(r.stderr)")
    }

    @Test func aVersionFolderLeftByACrashedPublishIsReclaimed() throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        // A publish killed after renaming its snapshot into place but before recording the
        // version leaves versions/2 that no database row claims.
        try FileManager.default.createDirectory(atPath: a.home + "/arena/versions/2", withIntermediateDirectories: true)
        try "stale".write(toFile: a.home + "/arena/versions/2/solution.csv", atomically: true, encoding: .utf8)
        var solution = "id,label,Usage\n"
        for i in 1...20 { solution += "\(i),\(i + 1),\(i <= 10 ? "Public" : "Private")\n" }
        try solution.write(toFile: a.folder + "/solution.csv", atomically: true, encoding: .utf8)
        let r = try a.podium(["publish", a.folder, "--force", "--json"])
        #expect(r.status == 0 && r.json?["version"] as? Int == 2, "\(r.stdout) \(r.stderr)")
        #expect(try String(contentsOfFile: a.home + "/arena/versions/2/solution.csv", encoding: .utf8) == solution)
        #expect(try Self.versionFolders(a) == ["1", "2"])
    }
}
