import Foundation
import PodiumFiles
import PodiumSQLite
import Testing

/// `podium backup` while `podium serve` takes uploads from several students at once: each
/// backup restores to a state the source went through (every submission in it is one of the
/// source's, with the same file, participant, time and message; every score one the source
/// has), and a backup taken once the load stopped restores to exactly the source.
@Suite("Backups under load", .serialized)
struct BackupLoadTests {
    /// Set once, read by every uploader.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// Runs blocking work (child processes) on a thread of its own, off Swift's pool.
    func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test func backupsTakenWhileStudentsSubmitRestoreToStatesOfTheSource() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 100000\n")
        defer { s.remove() }
        let students = ["s1", "s2", "s3", "s4"]
        for name in students { try s.account(name) }
        try s.start(["--workers", "2"])
        let stop = Flag()
        let backups = (1...5).map { s.root + "/backup-\($0)" }
        let home = s.home
        async let taken: [Run] = onThread {
            Thread.sleep(forTimeInterval: 0.5)  // the uploads under way first
            defer { stop.set() }
            return try backups.map { try Run.command(podiumPath, ["backup", "--home", home, $0, "--json"]) }
        }
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for name in students {
                group.addTask {
                    var count = 0
                    while !stop.isSet || count < 3 {
                        let file = try s.predictions(Double.random(in: 0...3), Double.random(in: 0...3))
                        let reply = try await s.submit(file, as: name, message: "\(name) #\(count)")
                        if reply.status == 202 { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let runs = try await taken
        for run in runs { #expect(run.status == 0, "\(run.stdout) \(run.stderr)") }

        let source = try ChallengeDatabase(path: home + "/arena/podium.sqlite")
        let deadline = Date().addingTimeInterval(60)
        while try source.statusCounts().keys.contains(where: { $0 == .queued || $0 == .running }), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let submissions = Dictionary(uniqueKeysWithValues: try source.submissions(team: nil).map { ($0.id, $0) })
        #expect(submissions.count == accepted)
        let scores = Dictionary(
            uniqueKeysWithValues: try source.scores(withReports: true).map { ("\($0.submissionId)/\($0.version)", $0) })

        var seen: [Int] = []
        for (number, backup) in backups.enumerated() {
            let restored = s.root + "/restored-\(number)"
            let back = try Run.command(podiumPath, ["restore", backup, "--home", restored, "--json"])
            #expect(back.status == 0, "\(back.stdout) \(back.stderr)")
            let copy = try ChallengeDatabase(path: restored + "/arena/podium.sqlite")
            let rows = try copy.submissions(team: nil)
            seen.append(rows.count)
            #expect(!rows.isEmpty)
            let files = FileStore(root: restored + "/arena/files")
            for row in rows {
                let original = try #require(submissions[row.id], "submission \(row.id) of backup \(number)")
                #expect(row.fileSha256 == original.fileSha256 && row.participant == original.participant)
                #expect(row.submittedAt == original.submittedAt && row.message == original.message)
                #expect(row.status != .running)
                #expect(files.verify(row.fileSha256), "the file of submission \(row.id)")
            }
            for score in try copy.scores(withReports: true) {
                let original = try #require(scores["\(score.submissionId)/\(score.version)"])
                #expect(
                    score.publicPrimary == original.publicPrimary && score.privatePrimary == original.privatePrimary)
                #expect(score.status == original.status && score.report == original.report)
            }
            let opens = try Run.command(podiumPath, ["leaderboard", "arena", "--home", restored])
            #expect(opens.status == 0, "\(opens.stderr)")
        }
        #expect(seen == seen.sorted(), "each backup at least as new as the one before: \(seen)")
        print("backups under load: \(seen) submissions of \(accepted) accepted")

        // Once the load has stopped: the same boards, lists and files.
        let last = s.root + "/backup-final"
        let restored = s.root + "/restored-final"
        #expect(try Run.command(podiumPath, ["backup", "--home", home, last]).status == 0)
        #expect(try Run.command(podiumPath, ["restore", last, "--home", restored]).status == 0)
        for view in [
            ["leaderboard", "arena", "--json"], ["leaderboard", "arena", "--private", "--reveal", "--json"],
            ["submissions", "arena", "--json"], ["users", "list", "--json"],
        ] {
            let before = try Run.command(podiumPath, view + ["--home", home])
            let after = try Run.command(podiumPath, view + ["--home", restored])
            #expect(before.status == 0 && before.stdout == after.stdout, "\(view): \(after.stderr)")
        }
        let stored = { (root: String) in
            try BackupFiles.list(root + "/arena").filter {
                !$0.contains("/.") && !$0.hasSuffix(".lock") && !$0.contains("sqlite")
            }
            .map { "\($0) \(try FileStore(root: "/").hash(root + "/arena/" + $0))" }
        }
        let (before, after) = (try stored(home), try stored(restored))
        #expect(before == after)
        s.stop()
    }
}
