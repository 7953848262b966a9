import Foundation
import Testing

/// A home the environment refuses (missing, a file, under a file, read-only) is a code and exit
/// status 1, never "a bug in Podium" (3); a usage error is 2.
@Suite("The environment refuses: a code, not a bug", .serialized)
struct EnvironmentTests {
    func code(_ r: CommandResult) -> String? {
        (r.json?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func homeThatIsAFileOrUnderAFile() throws {
        let a = try Arena()
        defer { a.remove() }
        let file = a.root + "/not-a-folder"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let predictions = try a.predictions(1, 1)
        for home in [file, file + "/home"] {
            let commands = [
                ["publish", a.folder], ["submit", "arena", predictions, "--as", "alice"], ["leaderboard", "arena"],
                ["submissions", "arena"], ["rescore", "arena"], ["select", "arena", "1"],
            ]
            for command in commands {
                let r = try run(podiumPath, command + Arena.allowances(command) + ["--home", home, "--json"])
                #expect(
                    r.status == 1 && code(r) == "home_unavailable",
                    "\(command) in \(home): \(r.status) \(r.stdout) \(r.stderr)")
                let human = try run(podiumPath, command + Arena.allowances(command) + ["--home", home])
                #expect(human.status == 1 && !human.stderr.contains("a bug in Podium"), "\(human.stderr)")
            }
        }
    }

    @Test func missingHomeForReadCommands() throws {
        let home = NSTemporaryDirectory() + "podium-missing-" + UUID().uuidString
        for command in [
            ["leaderboard", "arena"], ["submissions", "arena"], ["rescore", "arena"], ["check", "arena"],
        ] {
            let r = try run(podiumPath, command + ["--home", home, "--json"])
            #expect(r.status == 1 && code(r) == "home_unavailable", "\(command): \(r.status) \(r.stdout) \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: home))  // a read never creates it
    }

    /// A read-only home: a read-only tmpfs when the test may mount one (root, as in CI), else a
    /// folder without write permission. Either way the test first proves that writing fails.
    @Test func readOnlyHome() throws {
        let a = try Arena()
        defer { a.remove() }
        try FileManager.default.createDirectory(atPath: a.home, withIntermediateDirectories: true)
        var mounted = false
        if geteuid() == 0 { mounted = try shell("mount -t tmpfs -o size=64m tmpfs '\(a.home)'").status == 0 }
        defer { if mounted { _ = try? shell("umount '\(a.home)'") } }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        #expect(try a.submit("alice", 1, 1).status == 0)
        if mounted {
            #expect(try shell("mount -o remount,ro '\(a.home)'").status == 0)
        } else {
            try shell("chmod -R a-w '\(a.home)'")
        }
        defer { if !mounted { _ = try? shell("chmod -R u+w '\(a.home)'") } }
        #expect(
            !FileManager.default.createFile(atPath: a.home + "/probe", contents: Data("x".utf8)),
            "the home is still writable")
        let submitted = try a.submit("bob", 0.5, 0.5)
        #expect(
            submitted.status == 1 && code(submitted) == "home_unavailable",
            "\(submitted.status) \(submitted.stdout) \(submitted.stderr)")
        let other = a.root + "/other"
        try FileManager.default.copyItem(atPath: a.folder, toPath: other)
        let yaml = try String(contentsOfFile: other + "/challenge.yaml", encoding: .utf8).replacingOccurrences(
            of: "id: arena", with: "id: other")
        try yaml.write(toFile: other + "/challenge.yaml", atomically: true, encoding: .utf8)
        let published = try a.podium(["publish", other, "--json"])
        #expect(
            published.status == 1 && code(published) == "home_unavailable",
            "\(published.status) \(published.stdout) \(published.stderr)")
        // Reads either work or are refused with the code; never exit 3.
        for command in [["leaderboard", "arena", "--json"], ["submissions", "arena", "--json"]] {
            let r = try a.podium(command)
            #expect(
                r.status == 0 || (r.status == 1 && code(r) == "home_unavailable"),
                "\(command): \(r.status) \(r.stdout) \(r.stderr)")
        }
    }

    /// The database can be written but the snapshot cannot: refused with the code, nothing recorded.
    @Test func readOnlyVersionsFolder() throws {
        let a = try Arena()
        defer { a.remove() }
        let versions = a.home + "/arena/versions"
        try FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
        var mounted = false
        if geteuid() == 0 { mounted = try shell("mount -t tmpfs -o ro,size=1m tmpfs '\(versions)'").status == 0 }
        defer { if mounted { _ = try? shell("umount '\(versions)'") } }
        if !mounted { try shell("chmod a-w '\(versions)'") }
        #expect(
            !FileManager.default.createFile(atPath: versions + "/probe", contents: Data("x".utf8)),
            "the folder is still writable")
        let r = try a.podium(["publish", a.folder, "--json"])
        #expect(r.status == 1 && code(r) == "home_unavailable", "\(r.status) \(r.stdout) \(r.stderr)")
        #expect(try a.database().versions().isEmpty)
    }

    @Test func unwritableOutputFile() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let r = try a.podium([
            "leaderboard", "arena", "--format", "html", "-o", a.root + "/missing/folder/board.html", "--json",
        ])
        #expect(r.status == 1 && code(r) == "unwritable_output", "\(r.status) \(r.stdout) \(r.stderr)")
    }
}
