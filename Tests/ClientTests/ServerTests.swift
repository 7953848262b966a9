import Foundation
import Testing

/// The remote command line against a real `podium serve` on 127.0.0.1.
@Suite(.serialized) struct ServerTests {
    @Test func aStudentAndAnInstructorWorkThroughTheServer() throws {
        let course = try Course()
        defer { course.stop() }
        try course.serve()
        let student = ["XDG_CONFIG_HOME": course.root + "/alice-config"]
        let instructor = ["PODIUM_SERVER": course.url, "PODIUM_TOKEN": course.instructorToken]

        // The instructor publishes the folder over the network (a tar.gz upload).
        let published = try run(["publish", course.folder] + Course.allowances, environment: instructor)
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("arena: published version 1"))

        // Login with a piped password: a 0600 file in a 0700 folder, the token never printed.
        let wrong = try run(
            ["login", "--server", course.url, "--name", "alice"], environment: student, input: "not the password\n")
        #expect(wrong.status == 4)
        #expect(wrong.stderr.contains("bad_credentials") && wrong.stderr.contains(course.url))
        let login = try run(
            ["login", "--server", course.url + "/", "--name", "alice"], environment: student,
            input: course.password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("signed in to \(course.url) as alice"))
        let file = course.root + "/alice-config/podium/credentials.json"
        #expect(mode(file) == 0o600 && mode(course.root + "/alice-config/podium") == 0o700)
        let stored =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: String]
        let token = try #require(stored?["token"])
        #expect(token.hasPrefix("pod_") && stored?["server"] == course.url && stored?["name"] == "alice")
        #expect(!login.stdout.contains(token) && !login.stderr.contains(token))

        // What there is, and the data, checked against the announced hashes.
        let challenges = try run(["challenges"], environment: student)
        #expect(challenges.status == 0 && challenges.stdout.contains("arena  open  Arena"))
        let download = try run(["download", "arena", "-o", course.root + "/data"], environment: student)
        #expect(download.status == 0, "\(download.stderr)")
        #expect(download.stdout.contains("(checked)"))
        for name in ["train.csv", "test.csv"] {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: course.root + "/data/" + name, andPath: course.folder + "/" + name))
        }

        // Submit and wait: the local receipt's text; --json is the server's body.
        let submit = try run(
            ["submit", "arena", try course.predictions(0.5, name: "good"), "-m", "first try"], environment: student)
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.hasPrefix("submission 1 by alice: scored\npublic mae: 0.500000"))
        #expect(submit.stdout.contains("public leaderboard: rank 1 of 1 (new on the board)"))
        #expect(
            submit.stdout.contains("3 of 5 submissions left today")
                || submit.stdout.contains("4 of 5 submissions left today"))
        let noWait = try run(
            ["submit", "arena", try course.predictions(1.0, name: "later"), "--no-wait", "--json"], environment: student
        )
        #expect(noWait.status == 0, "\(noWait.stderr)")
        let accepted = try JSONSerialization.jsonObject(with: Data(noWait.stdout.utf8)) as? [String: Any]
        #expect(accepted?["status"] as? String == "queued")
        #expect(accepted?["submission"] as? Int == 2)
        let rejected = try run(["submit", "arena", course.folder + "/test.csv"], environment: student)
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("rejected") && rejected.stdout.contains("missing_column"))

        // The lists, the board, a selection.
        let list = try run(["submissions", "arena"], environment: student)
        #expect(list.status == 0 && list.stdout.contains("public mae") && list.stdout.contains("missing_column"))
        let board = try run(["leaderboard", "arena", "--json"], environment: student)
        #expect(board.status == 0 && board.stdout.contains(#""team":"alice""#))
        let select = try run(["select", "arena", "1"], environment: student)
        #expect(select.status == 0 && select.stdout.contains("alice: selected 1"), "\(select.stderr)")
        let hidden = try run(["leaderboard", "arena", "--private"], environment: student)
        #expect(hidden.status == 1 && hidden.stderr.contains("private_hidden"))
        let asAlice = try run(["submissions", "arena", "--as", "alice"], environment: student)
        #expect(asAlice.status == 2)

        // Instructors: the check, a re-score job, the private board.
        let check = try run(["check", "arena"], environment: instructor)
        #expect(check.status == 0 && check.stdout.contains("allowed"), "\(check.stderr)")
        let rescore = try run(["rescore", "arena"], environment: instructor)
        #expect(rescore.status == 0 && rescore.stdout.contains("re-scored"), "\(rescore.stderr)")
        let privateBoard = try run(["leaderboard", "arena", "--private"], environment: instructor)
        #expect(privateBoard.status == 0 && privateBoard.stdout.contains("private leaderboard"))
        let notStudent = try run(["rescore", "arena"], environment: student)
        #expect(notStudent.status == 1 && notStudent.stderr.contains("forbidden"))

        // Logout revokes the token: used again, the server refuses it (exit 4, podium login).
        let logout = try run(["logout"], environment: student)
        #expect(logout.status == 0 && logout.stdout.contains("the token is revoked"))
        #expect(!FileManager.default.fileExists(atPath: file))
        let revoked = try run(["challenges"], environment: ["PODIUM_SERVER": course.url, "PODIUM_TOKEN": token])
        #expect(revoked.status == 4)
        #expect(
            revoked.stderr.contains("unauthorized") && revoked.stderr.contains("podium login --server \(course.url)"))
    }

    /// A 100 MB upload is streamed from disk: the client's peak RSS stays far below the file.
    @Test func aLargeUploadStreamsFromDisk() throws {
        let course = try Course()
        defer { course.stop() }
        try course.serve()
        let student = ["XDG_CONFIG_HOME": course.root + "/alice-config"]
        let published = try run(
            ["publish", course.folder] + Course.allowances,
            environment: ["PODIUM_SERVER": course.url, "PODIUM_TOKEN": course.instructorToken])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(
            try run(
                ["login", "--server", course.url, "--name", "alice"], environment: student,
                input: course.password + "\n"
            )
            .status == 0)
        let size = 100 << 20
        let path = course.root + "/big.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let block = Data(String(repeating: "12345678,0.5\n", count: (1 << 20) / 13 + 1).utf8.prefix(1 << 20))
        try handle.write(contentsOf: Data("id,prediction\n".utf8))
        for _ in 0..<(size >> 20) { try handle.write(contentsOf: block) }
        try handle.close()
        let timed = try run(
            ["-v", podium, "submit", "arena", path, "--no-wait"], environment: student, executable: "/usr/bin/time")
        #expect(timed.status == 0, "\(timed.stderr)")
        #expect(timed.stdout.contains("submission 1: queued"))
        // The same client for a small request: what the process needs whatever it sends.
        let small = try run(["-v", podium, "challenges"], environment: student, executable: "/usr/bin/time")
        #expect(small.status == 0)
        let peak = Self.peakKilobytes(timed.stderr)
        let baseline = Self.peakKilobytes(small.stderr)
        print(
            "podium submit of a \(size >> 20) MB file: client peak RSS \(peak / 1024) MB "
                + "(podium challenges: \(baseline / 1024) MB)")
        // Reading the file whole would add at least its 100 MB to the peak.
        #expect(peak > 0 && baseline > 0 && (peak - baseline) * 1024 < size / 2)
    }

    /// "Maximum resident set size (kbytes): N" of `/usr/bin/time -v`.
    static func peakKilobytes(_ report: String) -> Int {
        let line = report.split(separator: "\n").first { $0.contains("Maximum resident set size") }
        return Int(line?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
    }
}

/// `podium download` on a local home: the current version's public files, copied.
@Suite struct LocalDownloadTests {
    @Test func downloadCopiesTheHomesCurrentVersion() throws {
        let course = try Course()
        defer { course.stop() }
        let published = try run(
            ["publish", course.folder, "--home", course.home] + Course.allowances, environment: [:])
        #expect(published.status == 0, "\(published.stderr)")
        let download = try run(
            ["download", "arena", "--home", course.home, "-o", course.root + "/data", "--json"], environment: [:])
        #expect(download.status == 0, "\(download.stderr)")
        #expect(download.stdout.contains(#""name":"train.csv""#) && download.stdout.contains(#""name":"test.csv""#))
        for name in ["train.csv", "test.csv"] {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: course.root + "/data/" + name, andPath: course.folder + "/" + name))
        }
        #expect(!FileManager.default.fileExists(atPath: course.root + "/data/solution.csv"))
    }
}
