import Foundation
import PodiumDomain
import Testing

/// Runs `podium` and measures its own peak RSS; kills it after `seconds`, so that a hang fails
/// the test (`timedOut`) instead of hanging the suite.
///
/// Linux carries a process's peak RSS across `execve`, and a child spawned from this (large,
/// multi-threaded) test process starts with the test process's peak: so the child is forked by
/// a small Python process instead, which reports the child's own `ru_maxrss` from `wait4`
/// (`peakChildMemory` would also count every earlier child).
func runWithin(_ seconds: Double, _ arguments: [String], environment: [String: String] = [:]) throws -> (
    result: CommandResult, timedOut: Bool
) {
    let dir = NSTemporaryDirectory() + "podium-run-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let measure = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:])
        _, status, usage = os.wait4(pid, 0)
        open(sys.argv[0] + '.peak', 'w').write(str(usage.ru_maxrss * 1024))
        sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
        """
    try measure.write(toFile: dir + "/measure.py", atomically: true, encoding: .utf8)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))  // its own group: killed whole
    posix_spawnattr_setpgroup(&attributes, 0)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let argv = (["/usr/bin/python3", dir + "/measure.py", podiumPath] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/python3", &actions, &attributes, argv, envp)
    #expect(spawned == 0, "posix_spawn: \(spawned)")
    let deadline = Date().addingTimeInterval(seconds)
    var status: Int32 = 0
    var timedOut = false
    while waitpid(pid, &status, WNOHANG) == 0 {
        if Date() > deadline {
            timedOut = true
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            break
        }
        usleep(20_000)
    }
    let exit = status & 0x7F == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
    let out = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
    let peak = (try? String(contentsOfFile: dir + "/measure.py.peak", encoding: .utf8)).flatMap { Int($0) } ?? Int.max
    return (CommandResult(status: exit, stdout: out, stderr: err, peakBytes: peak), timedOut)
}

/// Issue 10, part 4: intake in bounded memory, no hang on a file that is not a regular file,
/// one entry rule for every archive path, DESIGN §3's two new rules, and bounded quotes.
@Suite("Intake: bounded memory, no hang, one rule for every path", .serialized)
struct IntakeBoundaryTests {
    let yaml = "id: intake\ntask: binary\nmetric: auc\n"
    let solution = "id,label,Usage\n1,0,Public\n2,1,Public\n3,1,Private\n4,0,Private\n"
    let csv = "id,prediction\n1,0.1\n2,0.8\n3,0.3\n4,0.4\n"

    // MARK: bombs

    /// Writes `prefix` then `members` gzip members of 64 MiB of the byte `fill` each (a
    /// multi-member gzip stream, which every gunzip reads as one): a few MB on disk,
    /// `members × 64 MiB` (plus the prefix) decompressed.
    static func bomb(_ folder: String, members: Int, prefix: String = "", fill: String = "\\n") throws -> (
        path: String, bytes: Int
    ) {
        let made = try shell(
            "cd '\(folder)' && printf '\(prefix)' | gzip -c > bomb.csv.gz && head -c 67108864 /dev/zero | tr '\\0' "
                + "'\(fill)' | gzip -1 -c > member.gz && for i in $(seq \(members)); do cat member.gz; done >> "
                + "bomb.csv.gz && rm member.gz"
        )
        #expect(made.status == 0, "\(made.stderr)")
        return (folder + "/bomb.csv.gz", members << 26 + prefix.replacingOccurrences(of: "\\n", with: "\n").utf8.count)
    }

    static func newlineBomb(_ folder: String, members: Int) throws -> (path: String, bytes: Int) {
        try bomb(folder, members: members)
    }

    /// 2 GB of newlines, gzip'ed, under the default 2 GiB cap: it is decompressed (and found
    /// empty) in bounded memory. Before: the whole 2 GB was held in memory (1.98 GB peak).
    @Test func twoGigabytesOfNewlinesUnderTheDefaultCapInBoundedMemory() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let bomb = try Self.newlineBomb(c.folder, members: 30)
        #expect(bomb.bytes > 2_000_000_000 && bomb.bytes < 2 << 30)
        let (r, timedOut) = try runWithin(
            300, ["score", "--challenge", c.folder, bomb.path, "--json"],
            environment: ["PODIUM_MAX_UNPACKED_BYTES": String(2 << 30)])
        #expect(!timedOut)
        #expect(r.status == 1)
        let error = try #require(r.json?["error"] as? [String: Any], "\(r.stdout) \(r.stderr)")
        #expect(error["code"] as? String == "empty_file")
        #expect(r.peakBytes <= 300_000_000, "peak \(r.peakBytes)")
    }

    /// The same bomb exactly at a lowered cap (accepted, then found empty) and one byte over it
    /// (refused as soon as the cap is passed): both within 300 MB.
    @Test func bombAtAndJustOverTheCap() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let bomb = try Self.newlineBomb(c.folder, members: 8)  // 512 MiB
        for (cap, code) in [(bomb.bytes, "empty_file"), (bomb.bytes - 1, "archive_limits")] {
            let (r, _) = try runWithin(
                300, ["score", "--challenge", c.folder, bomb.path, "--json"],
                environment: ["PODIUM_MAX_UNPACKED_BYTES": String(cap)])
            let error = try #require(r.json?["error"] as? [String: Any], "\(r.stdout) \(r.stderr)")
            #expect(error["code"] as? String == code)
            #expect(r.peakBytes <= 300_000_000, "cap \(cap): peak \(r.peakBytes)")
        }
    }

    /// Other shapes of 512 MiB, at the cap: one field, a line of commas, an unclosed quote
    /// over newlines, a header that is one name. Each gets its code within 300 MB (before, the
    /// whole expansion was held in memory; the line of commas cost a `Field` per comma).
    /// (The line of commas is 128 MiB: in a debug build each comma costs a trip through the
    /// general reader; before, 128 Mi `Field`s were 3 GiB.)
    @Test(arguments: [
        ("id,prediction\\n", "a", "ragged_row"), ("id,prediction\\n", ",", "ragged_row"),
        ("id,prediction\\n\"", "\\n", "malformed_csv"), ("", "a", "missing_column"),
    ])
    func bombShapesUnderTheCapInBoundedMemory(_ prefix: String, _ fill: String, _ code: String) throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        let bomb = try Self.bomb(c.folder, members: fill == "," ? 2 : 8, prefix: prefix, fill: fill)
        let (r, timedOut) = try runWithin(
            300, ["score", "--challenge", c.folder, bomb.path, "--json"],
            environment: ["PODIUM_MAX_UNPACKED_BYTES": String(bomb.bytes)])
        #expect(!timedOut)
        let error = try #require(r.json?["error"] as? [String: Any], "\(r.stdout.prefix(500)) \(r.stderr.prefix(500))")
        #expect(error["code"] as? String == code)
        #expect((error["message"] as? String ?? "").unicodeScalars.count < 1500)
        #expect(r.peakBytes <= 300_000_000, "peak \(r.peakBytes)")
    }

    // MARK: files that are not regular files

    /// A FIFO (no writer), a directory, `/dev/zero` and a socket, each where Podium reads a file.
    static func specialFile(_ kind: String, at path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        switch kind {
        case "fifo": #expect(mkfifo(path, 0o644) == 0)
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case "device": try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        case "socket":
            let r = try shell("/usr/bin/python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('\(path)')\"")
            #expect(r.status == 0, "\(r.stderr)")
        default: Issue.record("unknown kind \(kind)")
        }
    }

    static let kinds = ["fifo", "directory", "device", "socket"]

    @Test(arguments: kinds)
    func scoreAndSubmitRefuseASpecialSubmission(_ kind: String) throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        let path = a.root + "/special.csv"
        try Self.specialFile(kind, at: path)
        let score = try runWithin(20, ["score", "--challenge", a.folder, path, "--json"])
        #expect(!score.timedOut, "score hung on a \(kind)")
        #expect(
            (score.result.json?["error"] as? [String: Any])?["code"] as? String == "not_a_submission",
            "\(score.result.stdout)")
        let submit = try runWithin(20, ["submit", "arena", path, "--as", "alice", "--json", "--home", a.home])
        #expect(!submit.timedOut, "submit hung on a \(kind)")
        #expect(submit.result.status == 1)
        #expect(
            (submit.result.json?["error"] as? [String: Any])?["code"] as? String == "not_a_submission",
            "\(submit.result.stdout)")
    }

    /// The challenge's own files: `unreadable_file` naming the file, from score (solution.csv),
    /// publish and check (every file), never a hang.
    @Test(arguments: kinds)
    func challengeFilesThatAreNotRegularFilesAreRefused(_ kind: String) throws {
        for name in ["solution.csv", "train.csv", "test.csv", "challenge.yaml"] {
            let a = try Arena()
            defer { a.remove() }
            let submission = try a.predictions(0, 0)
            try Self.specialFile(kind, at: a.folder + "/" + name)
            var commands = [["publish", a.folder, "--json", "--home", a.home], ["check", a.folder, "--json"]]
            if name == "solution.csv" || name == "challenge.yaml" {
                commands.append(["score", "--challenge", a.folder, submission, "--json"])
            }
            for command in commands {
                let r = try runWithin(20, command)
                #expect(!r.timedOut, "\(command[0]) hung on \(name) as a \(kind)")
                #expect(
                    r.result.status == 1, "\(command[0]), \(name) as a \(kind): \(r.result.stdout) \(r.result.stderr)")
                let error = r.result.json?["error"] as? [String: Any]
                #expect(
                    error?["code"] as? String == "unreadable_file",
                    "\(command[0]), \(name) as a \(kind): \(r.result.stdout)")
            }
        }
    }

    /// A bundle's input (`test.csv`) that is not a regular file: `unreadable_file` before the
    /// sandbox starts (before, a FIFO was linked in and stalled the bundle until its wall limit,
    /// a `failed` run blamed on the student).
    @Test(arguments: kinds)
    func bundleInputThatIsNotARegularFileIsRefused(_ kind: String) throws {
        let c = try TempChallenge(
            yaml: "id: sb\ntask: binary\nmetric: auc\nsubmissions:\n  kinds: [bundle]\n", solution: solution)
        defer { c.remove() }
        try Self.specialFile(kind, at: c.folder + "/test.csv")
        try FileManager.default.createDirectory(atPath: c.folder + "/b", withIntermediateDirectories: true)
        try "run: python3 predict.py\n".write(toFile: c.folder + "/b/bundle.yaml", atomically: true, encoding: .utf8)
        try "print(open(__import__('os').environ['PODIUM_INPUT']).read())\n".write(
            toFile: c.folder + "/b/predict.py", atomically: true, encoding: .utf8)
        #expect(try shell("tar -czf '\(c.folder)/bundle.tar.gz' -C '\(c.folder)/b' .").status == 0)
        let r = try runWithin(60, ["score", "--challenge", c.folder, c.folder + "/bundle.tar.gz", "--json"])
        #expect(!r.timedOut)
        let error = r.result.json?["error"] as? [String: Any]
        #expect(error?["code"] as? String == "unreadable_file", "\(r.result.stdout) \(r.result.stderr)")
        #expect(error?["file"] as? String == "test.csv")
    }

    // MARK: one entry rule

    /// Tars built with Python's tarfile (no root needed for devices), each holding `sub.csv`
    /// under a hostile name or type.
    static func hostileTar(_ folder: String, _ script: String) throws -> String {
        let py = """
            import io, tarfile
            data = open('sub.csv', 'rb').read()
            t = tarfile.open('hostile.tar', 'w')
            def add(name, kind=tarfile.REGTYPE, link=''):
                i = tarfile.TarInfo(name); i.type = kind; i.linkname = link
                i.size = len(data) if kind == tarfile.REGTYPE else 0
                t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
            \(script)
            t.close()
            """
        try py.write(toFile: folder + "/make.py", atomically: true, encoding: .utf8)
        let r = try shell("cd '\(folder)' && /usr/bin/python3 make.py")
        #expect(r.status == 0, "\(r.stderr)")
        return folder + "/hostile.tar"
    }

    static let hostile: [(String, String, String)] = [
        ("'..' in the CSV's name", "add('../x.csv')", "bad_archive"),
        ("an absolute CSV name", "add('/abs.csv')", "bad_archive"),
        ("'..' in another entry", "add('sub.csv'); add('a/../../notes.txt')", "bad_archive"),
        ("a symbolic link named .csv", "add('x.csv', tarfile.SYMTYPE, '/etc/passwd')", "bad_archive"),
        ("a hard link beside the CSV", "add('sub.csv'); add('y.csv', tarfile.LNKTYPE, 'sub.csv')", "bad_archive"),
        ("a device beside the CSV", "add('sub.csv'); add('null', tarfile.CHRTYPE)", "bad_archive"),
        ("a FIFO named .csv", "add('p.csv', tarfile.FIFOTYPE)", "bad_archive"),
        ("the CSV twice", "add('sub.csv'); add('./sub.csv')", "bad_archive"),
        ("a control character in a name", "add('sub\\x1b.csv')", "bad_archive"),
        ("an empty tar", "pass", "not_a_submission"),
        ("only a folder", "add('preds/', tarfile.DIRTYPE)", "not_a_submission"),
    ]

    /// Every archive gets one verdict, whether it is scored as predictions or unpacked.
    @Test(arguments: hostile.map(\.0))
    func oneEntryRuleForScoreAndUnpack(_ name: String) throws {
        let (_, script, code) = Self.hostile.first { $0.0 == name }!
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        _ = try c.write("sub.csv", csv)
        let tar = try Self.hostileTar(c.folder, script)
        guard case .failure(let error) = c.scoreFile(tar) else {
            Issue.record("scored \(name)")
            return
        }
        #expect(error.code.rawValue == code, "\(error)")
        // `podium unpack` gives the same verdict (an archive with no CSV unpacks: it is only not
        // a predictions file).
        guard code == "bad_archive" else { return }
        let unpacked = try run(podiumPath, ["unpack", tar, c.folder + "/out", "--json"])
        #expect(unpacked.status == 1)
        #expect((unpacked.json?["error"] as? [String: Any])?["code"] as? String == code, "\(unpacked.stdout)")
    }

    /// `tar -cf x.tar -T /dev/null` (10 KiB of zeros) and an empty zip are archives with no CSV.
    @Test func emptyArchivesAreNotSubmissions() throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        #expect(
            try shell(
                "cd '\(c.folder)' && tar -cf empty.tar -T /dev/null && printf "
                    + "'PK\\005\\006\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0' > empty.zip"
            ).status == 0)
        for file in ["empty.tar", "empty.zip"] {
            guard case .failure(let error) = c.scoreFile(c.folder + "/" + file) else {
                Issue.record("scored \(file)")
                continue
            }
            #expect(error.code.rawValue == "not_a_submission", "\(file): \(error)")
        }
    }

    // MARK: DESIGN §3

    @Test func emptyListFormItemsScoreZeroWithAWarning() throws {
        let c = try TempChallenge(yaml: rankYAML, solution: rankSolution)
        defer { c.remove() }
        // q1: a (rel 1) first → nDCG 1; q2 (Private) left empty, as Kaggle's empty prediction string.
        for empty in ["", "\"\"", "  "] {
            let report = try c.score("query_id,items\nq1,a b\nq2,\(empty)\n").get()
            #expect(report.outcome("ndcg@10", .public)?.value == 1)
            #expect(report.outcome("ndcg@10", .private)?.value == 0)
            #expect(
                report.warnings.contains { $0.contains("empty list of items") && $0.contains("q2") },
                "\(report.warnings)")
        }
    }

    @Test func multiclassWithBothFormsIsAmbiguous() throws {
        let c = try TempChallenge(yaml: multiYAML, solution: multiSolution)
        defer { c.remove() }
        for header in ["id,prediction,cat,dog,bird", "id,cat,dog,bird,prediction", "id,prediction,dog"] {
            let width = header.split(separator: ",").count
            var text = header + "\n"
            for (i, label) in ["cat", "dog", "bird"].enumerated() {
                text +=
                    "\(i + 1),"
                    + (1..<width).map { k in header.split(separator: ",")[k] == "prediction" ? label : "0.5" }.joined(
                        separator: ",") + "\n"
            }
            guard case .failure(let error) = try c.score(text) else {
                Issue.record("scored \(header)")
                continue
            }
            #expect(error.code.rawValue == "ambiguous_columns", "\(header): \(error)")
            #expect(error.column == "prediction")
        }
        // Either form alone still scores.
        #expect(try c.score("id,prediction\n1,cat\n2,dog\n3,bird\n").get().outcome("accuracy", .public)?.value == 1)
        #expect(
            try c.score("id,cat,dog,bird\n1,1,0,0\n2,0,1,0\n3,0,0,1\n").get().outcome("accuracy", .public)?.value == 1)
    }

    // MARK: quotes

    /// A 1 MB header line full of terminal escapes: the message quotes at most 200 characters,
    /// escaped; the stored message, and every later `podium submissions`, stays short.
    @Test func hugeHeaderGivesAShortEscapedMessage() throws {
        let a = try Arena()
        defer { a.remove() }
        #expect(try a.podium(["publish", a.folder]).status == 0)
        let header = String(repeating: "\u{1B}[2J\u{7}col\t", count: 100_000) + ",prediction"
        let path = a.root + "/huge.csv"
        try (header + "\n1,1\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try a.podium(["submit", "arena", path, "--as", "alice", "--json"])
        #expect(r.status == 1)
        let error = try #require(r.json?["error"] as? [String: Any], "\(r.stdout.prefix(500))")
        #expect(error["code"] as? String == "missing_column")
        let message = try #require(error["message"] as? String)
        #expect(message.unicodeScalars.count < 1500, "\(message.count) characters")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(message.contains("\\u{1B}[2J\\u{7}col\\t"))
        let list = try a.podium(["submissions", "arena"])
        #expect(list.status == 0)
        #expect(list.stdout.utf8.count < 4000, "\(list.stdout.utf8.count) bytes")
        #expect(!list.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let json = try a.podium(["submissions", "arena", "--json"])
        #expect(json.stdout.utf8.count < 4000, "\(json.stdout.utf8.count) bytes")
    }

    /// Cells quoted in messages: escaped and bounded, whatever their length.
    @Test(arguments: [
        ("id,prediction\n1,\u{1B}[31mred\n", "non_numeric"),
        ("id,prediction\n1,\(String(repeating: "9x", count: 500_000))\n", "non_numeric"),
        ("id,prediction\n1\u{0}\u{85}\u{2028},0.5\n", "unknown_id"),
        ("id,prediction\n\"\(String(repeating: "\"\"\n", count: 300_000))\",0.5\n", "unknown_id"),
    ])
    func quotedCellsAreEscapedAndBounded(_ submission: String, _ code: String) throws {
        let c = try TempChallenge(yaml: yaml, solution: solution)
        defer { c.remove() }
        guard case .failure(let error) = try c.score(submission) else {
            Issue.record("scored")
            return
        }
        #expect(error.code.rawValue == code, "\(error)")
        #expect(error.message.unicodeScalars.count < 1400, "\(error.message.count) characters")
        #expect(
            !error.message.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.value == 0x2028 })
    }
}
