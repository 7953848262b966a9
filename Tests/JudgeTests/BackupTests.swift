import Foundation
import PodiumFiles
import Testing

/// `podium backup` and `podium restore` of a home, on real files and SQLite: a course comes
/// back with the same boards, lists, accounts and files; a backup that does not verify is
/// refused before anything is written.
@Suite("podium backup and restore of a home")
struct BackupTests {
    /// A course of two challenges: the arena (three teams, a held perfect score cleared, a
    /// selection, a second version), a second challenge with its own submissions, an account,
    /// the audit trail at the root (`audit.sqlite`), and what a backup leaves
    /// out (lock files, an upload in progress, the server's lock, a store's temporary).
    static func course() throws -> Arena {
        let a = try Arena()
        try a.publishWithTiedTeams()
        let perfect = try a.submit("dave", 0, 0)
        let id = try #require(perfect.json?["submission"] as? Int)
        #expect(try a.podium(["clear", "arena", "\(id)", "--reason", "a legitimately perfect model"]).status == 0)
        #expect(try a.podium(["select", "arena", "1"]).status == 0)
        _ = try a.podium(["leaderboard", "arena", "--private", "--reveal"])  // intervals cached
        #expect(try a.podium(["users", "add", "alice", "--display", "Alice M"]).status == 0)
        // Version 2 of the arena (one more training row), published over the first.
        let train = try String(contentsOfFile: a.folder + "/train.csv", encoding: .utf8) + "121,21,21\n"
        try train.write(toFile: a.folder + "/train.csv", atomically: true, encoding: .utf8)
        try "# Arena\n".write(toFile: a.folder + "/README.md", atomically: true, encoding: .utf8)
        #expect(try a.podium(["publish", a.folder, "--force"]).status == 0)
        #expect(try a.submit("erin", 0.5, 0.25).status == 0)
        // A second challenge.
        let second = a.root + "/second"
        try FileManager.default.copyItem(atPath: a.folder, toPath: second)
        let yaml = try String(contentsOfFile: second + "/challenge.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "id: arena", with: "id: second")
            .write(toFile: second + "/challenge.yaml", atomically: true, encoding: .utf8)
        #expect(try a.podium(["publish", second]).status == 0)
        #expect(
            try a.podium(["submit", "second", try a.predictions(1, 2), "--as", "bob", "-m", "from bob"]).status == 0)
        // Never backed up.
        try FileManager.default.createDirectory(atPath: a.home + "/.uploads", withIntermediateDirectories: true)
        try "half an upload".write(toFile: a.home + "/.uploads/u1", atomically: true, encoding: .utf8)
        try "".write(toFile: a.home + "/server.lock", atomically: true, encoding: .utf8)
        try "partial".write(toFile: a.home + "/arena/files/.incoming-1-2", atomically: true, encoding: .utf8)
        return a
    }

    /// The outputs that must read the same from a restored home.
    static let views = [
        ["leaderboard", "arena", "--json"], ["leaderboard", "arena", "--private", "--reveal", "--json"],
        ["leaderboard", "arena", "--private", "--reveal", "--json", "--version", "1"],
        ["submissions", "arena", "--json"], ["submissions", "arena", "--as", "alice", "--json"],
        ["leaderboard", "second", "--json"], ["leaderboard", "second", "--private", "--reveal", "--json"],
        ["submissions", "second", "--json"], ["users", "list", "--json"], ["challenges", "--json"],
    ]

    /// Every stored file and version file of a home, by relative path, with its SHA-256.
    static func contents(_ home: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for path in BackupFiles.list(home) where path.contains("/files/") || path.contains("/versions/") {
            if path.contains("/.") { continue }
            out[path] = try FileStore(root: "/").hash(home + "/" + path)
        }
        return out
    }

    func podium(_ arguments: [String]) throws -> CommandResult { try run(podiumPath, arguments) }

    @Test func aCourseComesBackWithItsBoardsListsAccountsAndFiles() throws {
        let a = try Self.course()
        defer { a.remove() }
        let backup = a.root + "/backup"
        let taken = try podium(["backup", "--home", a.home, backup, "--json"])
        #expect(taken.status == 0, "\(taken.stdout) \(taken.stderr)")
        let counts = try #require(taken.json?["counts"] as? [String: Int])
        #expect(counts == ["challenges": 2, "submissions": 6, "scores": 6, "accounts": 1], "\(taken.stdout)")
        let manifest = try BackupManifest.read(from: backup)
        let paths = manifest.files.map(\.path)
        #expect(
            paths.contains("audit.sqlite") && paths.contains("accounts.sqlite")
                && paths.contains("second/podium.sqlite"))
        #expect(paths.contains("arena/versions/2/README.md") && paths.contains("arena/versions/1/solution.csv"))
        #expect(
            !paths.contains { $0.contains(".lock") || $0.contains(".uploads") || $0.contains(".incoming") }, "\(paths)")
        #expect(manifest.source == .home && manifest.format == 1 && manifest.podiumVersion.hasPrefix("0."))
        #expect(!FileManager.default.fileExists(atPath: backup + ".partial"))

        let restored = a.root + "/restored"
        let back = try podium(["restore", backup, "--home", restored, "--json"])
        #expect(back.status == 0, "\(back.stdout) \(back.stderr)")
        #expect(back.json?["requeued"] as? Int == 0)
        for view in Self.views {
            let before = try podium(view + ["--home", a.home])
            let after = try podium(view + ["--home", restored])
            #expect(before.status == 0 && after.status == 0, "\(view): \(after.stderr)")
            #expect(before.stdout == after.stdout, "\(view)")
        }
        let files = try Self.contents(a.home)
        let restoredFiles = try Self.contents(restored)
        #expect(files.count >= 12 && files == restoredFiles)
        // The audit trail came back event for event, chain whole; the source recorded the backup
        // (after taking it), the restored home its restore.
        func trail(_ home: String) throws -> [String] {
            let r = try podium(["audit", "--json", "--home", home])
            #expect(r.status == 0, "\(r.stderr)")
            return (r.json?["events"] as? [[String: Any]] ?? []).map {
                "\($0["action"] ?? "") \($0["actor"] ?? "") \($0["detail"] ?? "") \($0["hash"] ?? "")"
            }
        }
        let sourceTrail = try trail(a.home)
        let restoredTrail = try trail(restored)
        #expect(sourceTrail.count >= 6 && sourceTrail.dropLast() == restoredTrail.dropLast(), "\(restoredTrail)")
        #expect(sourceTrail.last?.hasPrefix("backup ") == true && restoredTrail.last?.hasPrefix("restore ") == true)
        #expect(!FileManager.default.fileExists(atPath: restored + "/.uploads"))
        #expect(!FileManager.default.fileExists(atPath: restored + "/server.lock"))
        // The restored home works: a new submission is numbered after the others.
        let next = try run(
            podiumPath, ["submit", "arena", try a.predictions(1, 1), "--as", "frank", "--json", "--home", restored])
        #expect(next.status == 0 && next.json?["submission"] as? Int == 6, "\(next.stdout) \(next.stderr)")
    }

    @Test func aSubmissionLeftRunningIsQueuedAgainWithoutCountingTheClaim() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publishWithTiedTeams()
        try shell(
            "sqlite3 '\(a.home)/arena/podium.sqlite' \"UPDATE submission SET status = 'running', "
                + "leaseOwner = 'old-machine:1', leaseUntil = 9e9, attempts = 1 WHERE id = 2\"")
        let backup = a.root + "/backup"
        #expect(try podium(["backup", "--home", a.home, backup]).status == 0)
        let back = try podium(["restore", backup, "--home", a.root + "/restored", "--json"])
        #expect(back.status == 0 && back.json?["requeued"] as? Int == 1, "\(back.stdout) \(back.stderr)")
        let row = try shell(
            "sqlite3 '\(a.root)/restored/arena/podium.sqlite' "
                + "'SELECT status, leaseOwner IS NULL, attempts FROM submission WHERE id = 2'")
        #expect(row.stdout == "queued|1|0\n", "\(row.stdout) \(row.stderr)")
    }

    // MARK: refusals

    /// A backup damaged in one way; what a restore must answer.
    struct Damage: Sendable, CustomStringConvertible {
        var description: String
        /// The file the message must name, and what it must say of it (checked before copying).
        var names: String
        var says = ""
        var apply: @Sendable (String) throws -> Void
    }

    static let damages: [Damage] = [
        Damage(description: "a flipped byte in a stored file", names: "/arena/files/", says: "does not hash") {
            backup in
            try flip(backup + "/" + (try stored(backup)))
        },
        Damage(description: "a missing version file", names: "arena/versions/1/train.csv") { backup in
            try FileManager.default.removeItem(atPath: backup + "/arena/versions/1/train.csv")
        },
        Damage(description: "an extra file", names: "arena/files/zz/extra") { backup in
            try FileManager.default.createDirectory(
                atPath: backup + "/arena/files/zz", withIntermediateDirectories: true)
            try "x".write(toFile: backup + "/arena/files/zz/extra", atomically: true, encoding: .utf8)
        },
        Damage(description: "a truncated database", names: "arena/podium.sqlite", says: "bytes") { backup in
            #expect(truncate(backup + "/arena/podium.sqlite", 4096) == 0)
        },
        Damage(description: "a corrupt database the manifest vouches for", names: "integrity check") { backup in
            let path = backup + "/arena/podium.sqlite"
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            // Page 1 past the file header: the schema's b-tree (the size stays the same).
            try overwrite(path, at: 100, count: min(400, size - 100))
            try edit(backup) { manifest in
                try changeEntry(&manifest, "arena/podium.sqlite") { $0["sha256"] = try FileStore(root: "/").hash(path) }
            }
        },
        Damage(description: "a wrong hash in the manifest", names: "accounts.sqlite", says: "does not hash") { backup in
            try edit(backup) { manifest in
                try changeEntry(&manifest, "accounts.sqlite") { $0["sha256"] = String(repeating: "0", count: 64) }
            }
        },
        Damage(description: "a manifest that is not JSON", names: "manifest.json") { backup in
            try "{\"format\": 1, \"files\": [".write(
                toFile: backup + "/manifest.json", atomically: true, encoding: .utf8)
        },
        Damage(description: "an unknown format", names: "format 2") { backup in
            try edit(backup) { manifest in manifest["format"] = 2 }
        },
        Damage(description: "no manifest (an interrupted backup)", names: "manifest.json") { backup in
            try FileManager.default.removeItem(atPath: backup + "/manifest.json")
        },
    ]

    /// One good backup of the course, copied for each damage.
    static let good: Result<(root: String, backup: String), CommandFailure> = {
        do {
            let a = try course()
            let backup = a.root + "/backup"
            let taken = try run(podiumPath, ["backup", "--home", a.home, backup])
            guard taken.status == 0 else { return .failure(CommandFailure(description: taken.stderr)) }
            return .success((a.root, backup))
        } catch {
            return .failure(CommandFailure(description: "\(error)"))
        }
    }()

    struct CommandFailure: Error, CustomStringConvertible { var description: String }

    @Test(arguments: damages) func aDamagedBackupIsRefusedAndNothingIsWritten(_ damage: Damage) throws {
        let (root, good) = try Self.good.get()
        let backup = root + "/damaged-" + UUID().uuidString
        try shell("cp -a '\(good)' '\(backup)'")
        defer { try? FileManager.default.removeItem(atPath: backup) }
        try damage.apply(backup)
        let target = root + "/restored-" + UUID().uuidString
        let refused = try podium(["restore", backup, "--home", target, "--json"])
        #expect(refused.status == 1, "\(damage): \(refused.stdout) \(refused.stderr)")
        let error = refused.json?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "backup_corrupt", "\(damage): \(refused.stdout)")
        let message = error?["message"] as? String ?? ""
        #expect(
            message.contains(damage.names) && (damage.says.isEmpty || message.contains(damage.says)),
            "\(damage): \(refused.stdout)")
        let left = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("restored-") }
        #expect(left.isEmpty, "\(damage): \(left)")
    }

    @Test func aBackupIsNeverWrittenOverAndARestoreNeverIntoAHomeInUse() throws {
        let (root, good) = try Self.good.get()
        // A destination that is not empty.
        let used = root + "/used-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: used, withIntermediateDirectories: true)
        try "mine".write(toFile: used + "/notes.txt", atomically: true, encoding: .utf8)
        let over = try podium(["backup", "--home", root + "/home", used, "--json"])
        #expect(over.status == 1 && over.stdout.contains("already_exists"), "\(over.stdout)")
        let into = try podium(["restore", good, "--home", used, "--json"])
        #expect(into.status == 1 && into.stdout.contains("already_exists"), "\(into.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: used) == ["notes.txt"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.contains(".partial") }
        #expect(siblings.isEmpty, "\(siblings)")
        // An empty folder is fine for both.
        let empty = root + "/empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try podium(["restore", good, "--home", empty]).status == 0)
        // A home that does not exist; neither or both of --home and --store.
        let none = try podium(["backup", "--home", root + "/nowhere", root + "/b-" + UUID().uuidString, "--json"])
        #expect(none.status == 1 && none.stdout.contains("home_unavailable"), "\(none.stdout)")
        #expect(try podium(["restore", good]).status == 2)
        // A backup inside the home it backs up.
        let inside = try podium(["backup", "--home", root + "/home", root + "/home/backups/b1", "--json"])
        #expect(inside.status == 2 && inside.stdout.contains("inside the home"), "\(inside.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root + "/home/backups"))
    }

    @Test func aStoredFileThatNoLongerHashesToItsNameStopsTheBackup() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publishWithTiedTeams()
        let victim = a.home + "/" + (try Self.stored(a.home))
        try Self.flip(victim)
        let backup = a.root + "/backup"
        let failed = try podium(["backup", "--home", a.home, backup, "--json"])
        #expect(failed.status != 0 && failed.stdout.contains("corrupt_stored_file"), "\(failed.stdout)")
        #expect(failed.stdout.contains((victim as NSString).lastPathComponent), "\(failed.stdout)")
        let left = try FileManager.default.contentsOfDirectory(atPath: a.root).filter { $0.hasPrefix("backup") }
        #expect(left.isEmpty, "\(left)")
    }

    // MARK: helpers

    /// The relative path of one stored file of the arena.
    static func stored(_ folder: String) throws -> String {
        try #require(BackupFiles.list(folder).first { $0.hasPrefix("arena/files/") && !$0.contains("/.") })
    }

    static func flip(_ path: String) throws {
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    static func overwrite(_ path: String, at offset: Int, count: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: count))
    }

    /// Edits the manifest (keeping it well-formed JSON).
    static func edit(_ backup: String, _ change: (inout [String: Any]) throws -> Void) throws {
        let path = backup + "/manifest.json"
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        try change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// Changes the manifest's entry of one file.
    static func changeEntry(
        _ manifest: inout [String: Any], _ path: String, _ change: (inout [String: Any]) throws -> Void
    )
        throws
    {
        var entries = try #require(manifest["files"] as? [[String: Any]])
        for i in entries.indices where entries[i]["path"] as? String == path { try change(&entries[i]) }
        manifest["files"] = entries
    }
}
