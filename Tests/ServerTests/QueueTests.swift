import Foundation
import Testing

/// `podium serve` end to end: an upload is stored and queued before the 202, workers score it
/// as the command line would, and a `kill -9` at any moment loses nothing and scores nothing twice.
@Suite("The server's queue and workers", .serialized)
struct QueueTests {
    @Test func anUploadIsQueuedThenScoredAsTheCommandLineScoresIt() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let file = try s.predictions(0.5, 1.5)
        let accepted = try await s.submit(file, as: "alice", message: "first try")
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(accepted.json?["id"] as? String == "arena-1")
        #expect(accepted.json?["status"] as? String == "queued")
        #expect(accepted.header("Location") == "/api/v1/submissions/arena-1")
        #expect(accepted.json?["remaining_today"] as? Int == 4)
        let done = try await s.final("arena-1", as: "alice")
        #expect(done.json?["status"] as? String == "scored", "\(done.text)")
        let scores = done.json?["scores"] as? [String: [String: Double]]
        // MAE by definition: every public row is off by 0.5; RMSE likewise.
        #expect(scores?["public"]?["mae"] == 0.5 && scores?["public"]?["rmse"] == 0.5)
        // Before the close a student never sees the private split.
        #expect(scores?["private"] == nil)
        #expect(done.json?["message"] as? String == "first try")
        // The store agrees with the command line.
        let listed = try s.podium(["submissions", "arena", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1 && rows?[0]["status"] as? String == "scored" && rows?[0]["public"] as? Double == 0.5)
        #expect(rows?[0]["private"] == nil)
        let instructorView = try s.podium(["submissions", "arena", "--json"])
        #expect(instructorView.status == 0)
    }

    @Test func aRefusedOrBrokenUploadLeavesNoSubmission() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start(["--max-upload-mb", "1"])
        var big = "id,prediction\n"
        while big.utf8.count < 1_200_000 { big += "1,1.0\n" }
        let path = s.root + "/big.csv"
        try big.write(toFile: path, atomically: true, encoding: .utf8)
        let tooLarge = try await s.submit(path, as: "alice")
        #expect(tooLarge.status == 413 && tooLarge.code == "too_large", "\(tooLarge.status) \(tooLarge.text)")
        let empty = try await s.request(
            "POST", "/api/v1/challenges/arena/submissions", as: "alice", body: Data(),
            headers: ["Content-Type": "application/octet-stream"])
        #expect(empty.status == 400 && empty.code == "empty_upload")
        let unknown = try await s.submit(try s.predictions(0), as: "alice", challenge: "nope")
        #expect(unknown.status == 404)
        let listed = try s.podium(["submissions", "arena", "--json"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(listed.stdout)")
        // Nothing left behind in the uploads folder either.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: s.home + "/.uploads")) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test func limitsAndOpeningDatesAnswerWithTheirCodes() async throws {
        let s = try LiveServer(yaml: "submissions:\n  per_day: 1\n")
        defer { s.remove() }
        try s.account("alice")
        try s.start()
        let first = try await s.submit(try s.predictions(1), as: "alice")
        #expect(first.status == 202)
        let second = try await s.submit(try s.predictions(2), as: "alice")
        #expect(second.status == 429 && second.code == "limit_reached", "\(second.text)")
        let info = try await s.request("GET", "/api/v1/challenges/arena", as: "alice")
        #expect(info.json?["remaining_today"] as? Int == 0 && info.json?["day_resets_at"] != nil)
    }

    /// A bundle that sleeps: the server is killed while it runs, and again right after a 202;
    /// after each restart every accepted submission ends scored, with one score row each.
    @Test func killNineAtAnyMomentLosesNothingAndScoresOnce() async throws {
        let s = try LiveServer(
            yaml: "submissions:\n  kinds: [predictions, bundle]\n  per_day: 20\nsandbox:\n  wall_seconds: 90\n")
        defer { s.remove() }
        try s.account("alice")
        try s.account("bob")
        let bundle = s.root + "/bundle"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try "run: python3 predict.py\n".write(toFile: bundle + "/bundle.yaml", atomically: true, encoding: .utf8)
        try """
        import os, time
        time.sleep(40)
        rows = open(os.environ["PODIUM_INPUT"]).read().splitlines()[1:]
        with open(os.environ["PODIUM_OUTPUT"], "w") as f:
            f.write("id,prediction\\n")
            for r in rows:
                i = r.split(",")[0]
                f.write(f"{i},{float(i) + 0.25}\\n")
        """.write(toFile: bundle + "/predict.py", atomically: true, encoding: .utf8)
        let archive = s.root + "/slow.tgz"
        #expect(try Run.command("/bin/sh", ["-c", "tar -czf '\(archive)' -C '\(bundle)' ."]).status == 0)

        try s.start(["--workers", "1"])
        let slow = try await s.submit(archive, as: "alice")
        #expect(slow.status == 202)
        // Wait until the bundle runs, then kill the server mid-evaluation.
        let deadline = Date().addingTimeInterval(90)
        var seen = ""
        while Date() < deadline && seen != "running" {
            // (Watched in the store: light enough on a busy machine.)
            seen = try status(of: 1, in: s)
            if seen != "running" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(seen == "running")
        let seenAt = Date()
        s.stop(signal: SIGKILL)
        #expect(try status(of: 1, in: s) == "running", "killed \(Date().timeIntervalSince(seenAt)) s after it ran")

        // Restart; accept one more, and kill again right after its 202.
        try s.start(["--workers", "1"])
        let quick = try await s.submit(try s.predictions(0.75), as: "bob")
        #expect(quick.status == 202)
        s.stop(signal: SIGKILL)
        #expect(["queued", "running"].contains(try status(of: 2, in: s)))

        try s.start(["--workers", "1"])
        let one = try await s.final("arena-1", as: "alice", seconds: 240)
        let two = try await s.final("arena-2", as: "bob", seconds: 240)
        #expect(one.json?["status"] as? String == "scored", "\(one.text)")
        #expect((one.json?["scores"] as? [String: [String: Double]])?["public"]?["mae"] == 0.25)
        #expect(two.json?["status"] as? String == "scored", "\(two.text)")
        #expect((two.json?["scores"] as? [String: [String: Double]])?["public"]?["mae"] == 0.75)
        // One score row per submission: the store's primary key (submission, version) and the
        // lease make a second commit impossible; count them anyway.
        let rows = try Run.command(
            "/usr/bin/sqlite3",
            [s.home + "/arena/podium.sqlite", "SELECT submissionId, COUNT(*) FROM score GROUP BY submissionId"])
        #expect(rows.stdout.split(separator: "\n").sorted() == ["1|1", "2|1"], "\(rows.stdout) \(rows.stderr)")
        // The first kill cost the slow one a claim; the second did too if it was running again
        // by then (on a busy machine it may still have been queued): two or three claims, never
        // more, and three is the last allowed before judge_error.
        let claims = try Run.command(
            "/usr/bin/sqlite3", [s.home + "/arena/podium.sqlite", "SELECT attempts FROM submission WHERE id = 1"])
        #expect(["2", "3"].contains(claims.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(claims.stdout)")
    }

    /// SIGTERM stops accepting and lets the running evaluation finish before the process ends.
    @Test func sigtermLetsARunningEvaluationFinish() async throws {
        let s = try LiveServer()
        defer { s.remove() }
        try s.account("alice")
        try s.start(["--workers", "1"])
        let accepted = try await s.submit(try s.predictions(0.5), as: "alice")
        #expect(accepted.status == 202)
        s.stop(signal: SIGTERM)
        // The submission is either scored (it ran) or still queued (for the next start): never lost.
        let after = try status(of: 1, in: s)
        #expect(after == "scored" || after == "queued", "\(after)")
        try s.start()
        let done = try await s.final("arena-1", as: "alice")
        #expect(done.json?["status"] as? String == "scored")
    }

    func status(of id: Int, in s: LiveServer) throws -> String {
        let r = try Run.command(
            "/usr/bin/sqlite3", [s.home + "/arena/podium.sqlite", "SELECT status FROM submission WHERE id = \(id)"])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
