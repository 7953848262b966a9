import Foundation
import PodiumFiles
import PodiumTestSupport
import Testing

/// `podium backup --store` and `podium restore --store` on a real PostgreSQL: a course's
/// database dumped and restored into another database reads the same; a damaged dump is refused
/// before the target is touched; a backup goes back only into the kind of place it came from.
@Suite("podium backup and restore of a PostgreSQL store")
struct StoreBackupTests {
    func store(_ url: String, _ arguments: [String]) throws -> CommandResult {
        try run(
            podiumPath,
            arguments + ["--store", url, "--home", NSTemporaryDirectory() + "podium-cache-" + UUID().uuidString])
    }

    /// A course migrated into a new database; returns the arena and the database's URL.
    func courseInAStore(_ make: () throws -> Arena) throws -> (Arena, String) {
        let a = try make()
        let url = try TestPostgres.database()
        let moved = try run(podiumPath, ["migrate", "--from", a.home, "--to", url])
        #expect(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
        return (a, url)
    }

    @Test func aStoreComesBackIntoAnEmptyDatabaseWithTheSameBoardsAndFiles() throws {
        let (a, source) = try courseInAStore(BackupTests.course)
        defer { a.remove() }
        let backup = a.root + "/store-backup"
        let taken = try run(podiumPath, ["backup", "--store", source, backup, "--json"])
        #expect(taken.status == 0, "\(taken.stdout) \(taken.stderr)")
        let counts = taken.json?["counts"] as? [String: Int]
        #expect(counts == ["challenges": 2, "submissions": 6, "scores": 6, "accounts": 1], "\(taken.stdout)")
        let manifest = try BackupManifest.read(from: backup)
        #expect(manifest.source == .postgres && manifest.files.map(\.path) == ["store.dump"])

        let target = try TestPostgres.database()
        let back = try run(podiumPath, ["restore", backup, "--store", target, "--json"])
        #expect(back.status == 0, "\(back.stdout) \(back.stderr)")
        for view in BackupTests.views {
            let before = try store(source, view)
            let after = try store(target, view)
            #expect(before.status == 0 && after.status == 0, "\(view): \(after.stderr)")
            #expect(before.stdout == after.stdout, "\(view)")
        }
        // Every stored file reads back from the restored store (fetched by hash, checked).
        let files = try store(target, ["submissions", "arena", "--json"])
        #expect(files.status == 0)

        // Never over a course, and never into the other kind of place.
        let again = try run(podiumPath, ["restore", backup, "--store", target, "--json"])
        #expect(again.status == 1 && again.stdout.contains("already_exists"), "\(again.stdout)")
        let intoHome = try run(podiumPath, ["restore", backup, "--home", a.root + "/new-home"])
        #expect(intoHome.status == 2 && intoHome.stderr.contains("--store"), "\(intoHome.stderr)")
        let homeBackup = a.root + "/home-backup"
        #expect(try run(podiumPath, ["backup", "--home", a.home, homeBackup]).status == 0)
        let intoStore = try run(podiumPath, ["restore", homeBackup, "--store", try TestPostgres.database()])
        #expect(intoStore.status == 2 && intoStore.stderr.contains("podium migrate"), "\(intoStore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: a.root + "/new-home"))
    }

    @Test func aDamagedDumpIsRefusedBeforeTheDatabaseIsTouched() throws {
        let (a, source) = try courseInAStore {
            let a = try Arena()
            try a.publishWithTiedTeams()
            return a
        }
        defer { a.remove() }
        let backup = a.root + "/store-backup"
        #expect(try run(podiumPath, ["backup", "--store", source, backup]).status == 0)
        let damaged = a.root + "/damaged"
        try shell("cp -a '\(backup)' '\(damaged)'")
        try BackupTests.flip(damaged + "/store.dump")
        let target = try TestPostgres.database()
        let refused = try run(podiumPath, ["restore", damaged, "--store", target, "--json"])
        #expect(refused.status == 1 && refused.stdout.contains("backup_corrupt"), "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stdout.contains("store.dump"), "\(refused.stdout)")
        // The target was not touched: the intact backup restores into it.
        let back = try run(podiumPath, ["restore", backup, "--store", target, "--json"])
        #expect(back.status == 0 && back.json?["counts"] as? [String: Int] != nil, "\(back.stdout) \(back.stderr)")
        let board = try store(target, ["leaderboard", "arena", "--json"])
        #expect(board.stdout == (try store(source, ["leaderboard", "arena", "--json"])).stdout)
    }
}
