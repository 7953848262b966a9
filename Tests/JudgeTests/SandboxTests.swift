import Foundation
import Testing

/// Hostile and honest model bundles, run through `podium score` and the real sandbox.
@Suite("Model bundles in the sandbox", .serialized)
struct SandboxTests {
    /// /tmp is memory (a tmpfs charged to the run): kept below memory_mb, so that filling it
    /// meets its own size first.
    static let limits = limits(wall: 4)

    /// The wall limit is generous for every attack but the sleeping one: on a busy machine (CI
    /// runs the server's tests beside these) a busy loop may get a quarter of a core, and must
    /// still reach its CPU limit before the wall limit.
    static func limits(wall: Int) -> String {
        "sandbox:\n  cpu_seconds: 2\n  wall_seconds: \(wall)\n  memory_mb: 256\n  output_mb: 8\n  processes: 16\n"
            + "  tmp_mb: 64\n"
    }

    /// A binary challenge taking bundles, and a bundle made of `predict.py` = `script`.
    /// `marker` goes on the bundle's command line, so that its processes can be found on the host.
    static func run(
        _ script: String, yaml extra: String = limits, environment: [String: String] = [:], privateFolder: Bool = false,
        marker: String = "podium-run", runtime: String? = nil
    ) throws -> CommandResult {
        let c = try TempChallenge(
            yaml: "id: sb\ntask: binary\nmetric: auc\nsubmissions:\n  kinds: [predictions, bundle]\n" + extra,
            solution: "id,label,Usage\n1,0,Public\n2,1,Public\n3,1,Private\n4,0,Private\n")
        defer { c.remove() }
        if privateFolder { chmod(c.folder, 0o700) }
        _ = try c.write("test.csv", "id,x\n1,0.1\n2,0.9\n3,0.8\n4,0.2\n")
        let bundle = c.folder + "/b"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try ("run: python3 predict.py \(marker)\n" + (runtime.map { "runtime: \($0)\n" } ?? "")).write(
            toFile: bundle + "/bundle.yaml", atomically: true, encoding: .utf8)
        try (preamble + script + "\n" + epilogue).write(
            toFile: bundle + "/predict.py", atomically: true, encoding: .utf8)
        _ = try shell("tar -czf '\(c.folder)/bundle.tar.gz' -C '\(bundle)' .")
        return try foundationRun(
            podiumPath, ["score", "--challenge", c.folder, c.folder + "/bundle.tar.gz", "--json"],
            environment: environment)
    }

    static let preamble = "import os, sys, time\n"
    /// Honest output, written when the script gets this far.
    static let epilogue = """
        rows = open(os.environ["PODIUM_INPUT"]).read().splitlines()[1:]
        with open(os.environ["PODIUM_OUTPUT"], "w") as f:
            f.write("id,prediction\\n")
            for r in rows:
                f.write(r + "\\n")
        """

    static func status(_ r: CommandResult) -> (String?, String?) {
        let json = r.json
        return (json?["status"] as? String, (json?["error"] as? [String: Any])?["code"] as? String)
    }

    @Test func honestHeavyBundleScores() throws {
        let script = """
            import threading, multiprocessing, subprocess, tempfile
            def main():
                big = bytearray(200 * 1024 * 1024)  # 200 MB
                for i in range(0, len(big), 4096): big[i] = 1
                t = [threading.Thread(target=lambda: sum(range(100000))) for _ in range(4)]
                [x.start() for x in t]; [x.join() for x in t]
                # A process pool (spawned: forking a process that runs threads can deadlock in Python).
                with multiprocessing.get_context("spawn").Pool(2) as pool: assert pool.map(abs, [-1, -2]) == [1, 2]
                assert subprocess.run(["python3", "-c", "print(7)"], capture_output=True).stdout.strip() == b"7"
                with tempfile.NamedTemporaryFile(dir="/tmp") as f: f.write(b"x" * 10_000_000)
            if __name__ == "__main__":
                main()
            """
        let r = try Self.run(script, yaml: "sandbox:\n  memory_mb: 768\n  wall_seconds: 120\n  cpu_seconds: 60\n")
        #expect(Self.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
        let run = try #require(r.json?["run"] as? [String: Any])
        #expect(run["exit_status"] as? Int == 0)
        #expect((run["peak_memory_mb"] as? Double ?? 0) > 150)
    }

    /// Each script must end with the given failure code (or be scored: the attack failed quietly).
    static let hostile: [(String, String, String)] = [
        (
            "TCP to a loopback listener", "import socket\ns = socket.create_connection(('127.0.0.1', PORT), timeout=1)",
            "nonzero_exit"
        ),
        (
            "UDP", "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', 53))",
            "nonzero_exit"
        ),
        ("DNS", "import socket\nsocket.getaddrinfo('example.com', 80)", "nonzero_exit"),
        ("netlink", "import socket\nsocket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)", "nonzero_exit"),
        (
            "raw socket", "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
            "nonzero_exit"
        ),
        (
            "AF_UNIX socket on the host", "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect('HOSTSOCKET')",
            "nonzero_exit"
        ),
        (
            "search / for the answer key",
            """
            for d, _, files in os.walk('/'):
                if d.startswith('/proc'): continue
                if 'solution.csv' in files: sys.exit(42)
            """, "scored"
        ),
        ("read /etc/shadow", "open('/etc/shadow').read()", "nonzero_exit"),
        (
            "write outside the output",
            """
            for p in ['/bundle/x', '/usr/x', '/x', '/input/test.csv', '/etc/x']:
                try:
                    open(p, 'w').write('x'); sys.exit(43)
                except OSError: pass
            """, "scored"
        ),
        (
            "host environment via /proc",
            """
            for p in os.listdir('/proc'):
                try:
                    if b'SECRET_TOKEN_4711' in open(f'/proc/{p}/environ', 'rb').read(): sys.exit(44)
                except OSError: pass
            given = {'PATH', 'HOME', 'PODIUM_INPUT', 'PODIUM_OUTPUT', 'LC_CTYPE', 'PODIUM_THREADS', 'OMP_NUM_THREADS',
                     'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS',
                     'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS'}
            if set(os.environ) - given: sys.exit(45)
            """, "scored"
        ),
        (
            "inherited descriptors",
            """
            for fd in range(3, 256):
                try: os.fstat(fd); sys.exit(46)
                except OSError: pass
            """, "scored"
        ),
        ("fork bomb", "while True: os.fork()", "process_limit"),
        ("ptrace", "import ctypes\nctypes.CDLL(None).ptrace(0, 0, 0, 0)", "forbidden_syscall"),
        ("mount", "import ctypes\nctypes.CDLL(None).mount(b'none', b'/tmp', b'tmpfs', 0, None)", "forbidden_syscall"),
        ("chroot", "import ctypes\nctypes.CDLL(None).chroot(b'/tmp')", "forbidden_syscall"),
        ("new user namespace", "import ctypes\nctypes.CDLL(None).unshare(0x10000000)", "forbidden_syscall"),
        ("bpf", "import ctypes\nctypes.CDLL(None).syscall(321, 0, 0, 0)", "forbidden_syscall"),
        ("perf_event_open", "import ctypes\nctypes.CDLL(None).syscall(298, 0, 0, -1, -1, 0)", "forbidden_syscall"),
        ("keyctl", "import ctypes\nctypes.CDLL(None).syscall(250, 0, 0, 0, 0, 0)", "forbidden_syscall"),
        ("io_uring", "import ctypes\nctypes.CDLL(None).syscall(425, 1, 0)", "forbidden_syscall"),
        ("TIOCSTI", "import fcntl, termios\nfcntl.ioctl(0, termios.TIOCSTI, b'x')", "forbidden_syscall"),
        (
            "i386 int 0x80",
            """
            import ctypes, mmap
            code = b'\\xb8\\x14\\x00\\x00\\x00\\xcd\\x80\\xc3'  # mov eax, 20 (getpid); int 0x80; ret
            m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            m.write(code)
            f = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
            f()
            """, "forbidden_syscall"
        ),
        ("x32 system call", "import ctypes\nctypes.CDLL(None).syscall(0x40000000 + 39)", "forbidden_syscall"),
        (
            "only the sandbox's processes are visible",
            """
            pids = [p for p in os.listdir('/proc') if p.isdigit()]
            if len(pids) > 3: sys.exit(48)
            for p in pids:
                cmd = open(f'/proc/{p}/cmdline', 'rb').read()
                if b'--challenge' in cmd or b'xctest' in cmd or b'swift' in cmd: sys.exit(49)
            """, "scored"
        ),
        ("kill(-1)", "import signal\nos.kill(-1, signal.SIGKILL)", "nonzero_exit"),
        ("10 GB of memory", "x = b'x' * (10 * 1024 ** 3)", "memory_limit"),
        (
            "10 GB of memory, touched page by page",
            "x = bytearray(10 * 1024 ** 3)\nx[::4096] = b'x' * len(range(0, len(x), 4096))", "memory_limit"
        ),
        (
            "memory over several processes",
            """
            kids = []
            for i in range(4):
                pid = os.fork()
                if pid == 0:
                    x = bytearray(100 * 1024 * 1024)
                    for i in range(0, len(x), 4096): x[i] = 1
                    time.sleep(3); os._exit(0)
                kids.append(pid)
            for k in kids: os.waitpid(k, 0)
            sys.exit(1)
            """, "memory_limit"
        ),
        ("busy loop", "while True: pass", "cpu_limit"),
        (
            "CPU over several processes",
            """
            for i in range(3):
                if os.fork() == 0:
                    while True: pass
            while True: pass
            """, "cpu_limit"
        ),
        ("2 GB to stdout", "while True: sys.stdout.write('x' * 65536)", "output_limit"),
        (
            "fill /tmp",
            """
            try:
                with open('/tmp/fill', 'wb') as f:
                    while True: f.write(b'x' * 1048576)
            except OSError: pass
            """, "scored"
        ),
        (
            "100k files",
            """
            try:
                for i in range(100000): open(f'/tmp/f{i}', 'w').close()
                sys.exit(47)
            except OSError: pass
            """, "scored"
        ),
        ("sleep past the wall limit", "time.sleep(30)", "wall_limit"),
        ("no output", "sys.exit(0)", "no_output"),
        (
            "output is a symbolic link", "os.symlink('/input/test.csv', os.environ['PODIUM_OUTPUT']); sys.exit(0)",
            "no_output"
        ),
    ]

    /// Every runtime a course can bind (`sandbox/runtimes/NAME`): each attack runs with each.
    static let runtimes = ["tabular", "deep", "embeddings"]

    @Test(arguments: hostile.map(\.0), runtimes)
    func hostileBundle(_ name: String, runtime: String) throws {
        let (_, script, expected) = Self.hostile.first { $0.0 == name }!
        // A loopback listener and a host AF_UNIX socket the bundle must not reach.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listen(listener, 4)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: bound.sin_port))
        let hostSocket = NSTemporaryDirectory() + "podium-host-\(UUID().uuidString.prefix(8)).sock"
        _ = try shell("/usr/bin/python3 -c \"import socket; s=socket.socket(socket.AF_UNIX); s.bind('\(hostSocket)')\"")
        defer { unlink(hostSocket) }
        let body = script.replacingOccurrences(of: "PORT", with: String(port)).replacingOccurrences(
            of: "HOSTSOCKET", with: hostSocket)
        let marker = "podium-marker-\(UUID().uuidString.prefix(8))"
        let yaml =
            Self.limits(wall: expected == "wall_limit" ? 4 : 30)
            + "  runtimes: [\(Self.runtimes.joined(separator: ", "))]\n"
        let r = try Self.run(
            body, yaml: yaml, environment: ["SECRET_TOKEN_4711": "x"], marker: marker, runtime: runtime)
        let (status, code) = Self.status(r)
        if expected == "scored" {
            #expect(status == "scored", "\(name) (\(runtime)): \(r.stdout) \(r.stderr)")
        } else {
            #expect(status == "failed" && code == expected, "\(name) (\(runtime)): \(r.stdout) \(r.stderr)")
            #expect(r.status == 1)
        }
        // Nothing of the run survives, and the listener was never reached.
        #expect(try sandboxProcesses(marker).isEmpty, "\(name) left processes")
        var flags = fcntl(listener, F_GETFL)
        flags |= O_NONBLOCK
        _ = fcntl(listener, F_SETFL, flags)
        #expect(accept(listener, nil, nil) < 0, "\(name) reached the loopback listener")
    }

    /// The challenge may live in a folder only root can enter (`mktemp -d`): the sandbox's user
    /// still gets its input.
    @Test func challengeInAPrivateFolder() throws {
        let r = try Self.run("", privateFolder: true)
        #expect(Self.status(r).0 == "scored", "\(r.stdout)")
    }

    @Test func daemonCannotRewriteTheOutputAfterTheRun() throws {
        let script = """
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(1.5)
                    open(os.environ['PODIUM_OUTPUT'], 'w').write('id,prediction\\n1,1\\n2,0\\n3,0\\n4,1\\n')
                    os._exit(0)
                os._exit(0)
            """
        let marker = "podium-daemon-\(UUID().uuidString.prefix(8))"
        let r = try Self.run(script, marker: marker)
        #expect(Self.status(r).0 == "scored", "\(r.stdout)")
        let auc = (r.json?["scores"] as? [String: [String: Any]])?["public"]?["auc"] as? Double
        #expect(auc == 1.0)  // the honest output, not the daemon's inverted one
        #expect(try sandboxProcesses(marker).isEmpty)
    }

    @Test func badBundleYAMLIsRefusedWithItsKey() throws {
        let c = try TempChallenge(
            yaml: "id: sb\ntask: binary\nmetric: auc\nsubmissions:\n  kinds: [bundle]\n",
            solution: "id,label,Usage\n1,0,Public\n2,1,Public\n")
        defer { c.remove() }
        _ = try c.write("test.csv", "id,x\n1,1\n2,2\n")
        try FileManager.default.createDirectory(atPath: c.folder + "/b", withIntermediateDirectories: true)
        try "run: python3 predict.py\nextra: 1\n".write(
            toFile: c.folder + "/b/bundle.yaml", atomically: true, encoding: .utf8)
        _ = try shell("tar -czf '\(c.folder)/b.tgz' -C '\(c.folder)/b' .")
        let r = try foundationRun(
            podiumPath, ["score", "--challenge", c.folder, c.folder + "/b.tgz", "--json"], environment: [:])
        #expect(r.status == 1 && r.stdout.contains("bad_bundle") && r.stdout.contains("extra"))
    }

    @Test func bundleSubmissionsAreStoredScoredAndRescored() throws {
        let a = try Arena(
            yaml: "submissions:\n  kinds: [predictions, bundle]\n  per_day: 10\nsandbox:\n  wall_seconds: 20\n")
        defer { a.remove() }
        try a.podium(["publish", a.folder])
        let b = a.root + "/bundle"
        try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: true)
        try "run: python3 predict.py\n".write(toFile: b + "/bundle.yaml", atomically: true, encoding: .utf8)
        try """
        import os
        rows = open(os.environ["PODIUM_INPUT"]).read().splitlines()[1:]
        with open(os.environ["PODIUM_OUTPUT"], "w") as f:
            f.write("id,prediction\\n")
            for r in rows:
                i, x = r.split(",")
                f.write(f"{i},{float(x) + 0.5}\\n")
        """.write(toFile: b + "/predict.py", atomically: true, encoding: .utf8)
        _ = try shell("tar -czf '\(a.root)/good.tgz' -C '\(b)' .")
        try "import os\nwhile True: os.fork()\n".write(toFile: b + "/predict.py", atomically: true, encoding: .utf8)
        _ = try shell("tar -czf '\(a.root)/bomb.tgz' -C '\(b)' .")
        var r = try a.podium(["submit", "arena", a.root + "/good.tgz", "--as", "ann", "--json"])
        #expect(
            r.status == 0 && (r.json?["scores"] as? [String: [String: Double]])?["public"]?["mae"] == 0.5, "\(r.stdout)"
        )
        r = try a.podium(["submit", "arena", a.root + "/bomb.tgz", "--as", "bob", "--json"])
        #expect(
            r.status == 1 && r.json?["status"] as? String == "failed" && r.stdout.contains("process_limit"),
            "\(r.stdout.prefix(400))")
        let rows = try a.database().submissions(team: nil)
        #expect(rows.map(\.status.rawValue) == ["scored", "failed"])
        // Rescoring re-runs the stored bundles.
        try "id,label,Usage\n".appending(
            (1...20).map { "\($0),\(Double($0) + 1),\($0 <= 10 ? "Public" : "Private")\n" }.joined()
        )
        .write(toFile: a.folder + "/solution.csv", atomically: true, encoding: .utf8)
        try a.podium(["publish", a.folder, "--force"])
        r = try a.podium(["rescore", "arena", "--json"])
        #expect(r.json?["scored"] as? Int == 1 && r.json?["failed"] as? Int == 1, "\(r.stdout)")
        let v2 = try a.database().scores(withReports: true).filter { $0.version == 2 && $0.status == .scored }
        #expect(v2.first?.publicPrimary == 0.5)  // |(i + 0.5) − (i + 1)|
    }

    /// The flight challenge's bundle scores in the sandbox exactly as its predictions do when
    /// predict.py runs outside it.
    @Test func sandboxedBundleMatchesAPlainRun() throws {
        let folder = DatasetTests.root.appendingPathComponent("flight-cancellations").path
        let work = NSTemporaryDirectory() + "podium-example-bundle-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let made = try shell("tar -czf '\(work)/b.tgz' -C '\(folder)/bundle' bundle.yaml predict.py model.json")
        #expect(made.status == 0)
        let plain = try shell(
            "cd '\(folder)/bundle' && PODIUM_INPUT='\(folder)/test.csv' PODIUM_OUTPUT='\(work)/plain.csv' "
                + "/usr/bin/python3 predict.py"
        )
        #expect(plain.status == 0, "\(plain.stderr)")
        let sandboxed = try foundationRun(
            podiumPath, ["score", "--challenge", folder, work + "/b.tgz", "--json"], environment: [:])
        let direct = try foundationRun(
            podiumPath, ["score", "--challenge", folder, work + "/plain.csv", "--json"], environment: [:])
        #expect(sandboxed.status == 0, "\(sandboxed.stdout) \(sandboxed.stderr)")
        let a = sandboxed.json?["scores"] as? [String: [String: Double]]
        let b = direct.json?["scores"] as? [String: [String: Double]]
        #expect(a != nil && a == b)
        #expect((sandboxed.json?["run"] as? [String: Any])?["exit_status"] as? Int == 0)
    }

    /// A bundle carrying the (reshuffled) answers, one carrying train.csv, and one whose
    /// training ids include test ids.
    @Test func bundleSubmissionChecks() throws {
        var solution = "id,label,Usage\n"
        var test = "id,x\n"
        var train = "id,x,label\n"
        for i in 0..<300 {
            solution += "s\(i),\(i % 3 == 0 ? 1 : 0),\(i % 2 == 0 ? "Public" : "Private")\n"
            test += "s\(i),\(i)\n"
            train += "t\(i),\(i),\(i % 5 == 0 ? 1 : 0)\n"
        }
        let c = try TempChallenge(
            yaml: "id: sb\ntask: binary\nmetric: auc\nsubmissions:\n  kinds: [bundle]\n", solution: solution)
        defer { c.remove() }
        _ = try c.write("test.csv", test)
        _ = try c.write("train.csv", train)
        func bundle(_ name: String, files: [String: String], yaml: String = "run: python3 predict.py\n") throws
            -> [[String: Any]]
        {
            let dir = c.folder + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try yaml.write(toFile: dir + "/bundle.yaml", atomically: true, encoding: .utf8)
            try (Self.preamble + Self.epilogue).write(toFile: dir + "/predict.py", atomically: true, encoding: .utf8)
            for (file, text) in files {
                try FileManager.default.createDirectory(
                    atPath: ((dir + "/" + file) as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
            }
            _ = try shell("tar -czf '\(dir).tgz' -C '\(dir)' .")
            let r = try foundationRun(
                podiumPath, ["score", "--challenge", c.folder, dir + ".tgz", "--json"], environment: [:])
            #expect(r.json?["status"] as? String == "scored", "\(r.stdout)")
            return r.json?["checks"] as? [[String: Any]] ?? []
        }
        let lines = solution.split(separator: "\n").dropFirst().map { line -> String in
            let f = line.split(separator: ",")
            return "\(f[1]),\(f[0])"
        }.shuffled()
        let answers = try bundle("answers", files: ["lookup.csv": "guess,key\n" + lines.joined(separator: "\n") + "\n"])
        #expect(
            answers.contains {
                $0["name"] as? String == "bundle_contains_labels" && $0["severity"] as? String == "block"
            })
        let copy = try bundle("copy", files: ["data/solution_backup.csv": solution])
        #expect(copy.contains { $0["name"] as? String == "bundle_contains_labels" })
        // The test rows' features with their answers, ids dropped and rows shuffled: joined on
        // the features.
        let byFeatures = solution.split(separator: "\n").dropFirst().enumerated().map { i, line in
            "\(Double(i) + 1e-9),\(line.split(separator: ",")[1])"
        }.shuffled()
        let featureCopy = try bundle(
            "features", files: ["cache/test_with_labels.csv": "x,y\n" + byFeatures.joined(separator: "\n") + "\n"])
        #expect(
            featureCopy.contains {
                $0["name"] as? String == "bundle_contains_labels" && ($0["message"] as? String)?.contains("'y'") == true
            }, "\(featureCopy)")
        let honest = try bundle("honest", files: ["train.csv": train])
        #expect(!honest.contains { ($0["name"] as? String)?.hasPrefix("bundle_") == true })
        let overlap = try bundle(
            "overlap", files: ["ids.txt": "t1\nt2\ns5\ns7\n"],
            yaml: "run: python3 predict.py\ntraining:\n  ids: ids.txt\n")
        #expect(
            overlap.contains {
                $0["name"] as? String == "bundle_training_overlap" && ($0["message"] as? String)?.contains("s5") == true
            })
    }
}

/// Host processes of one run: running as a sandbox uid (the launcher maps bundles to host uids
/// 200000+) with the run's marker on their command line.
func sandboxProcesses(_ marker: String) throws -> [String] {
    try shell("ps -eo uid=,pid=,args= | awk '$1 >= 200000 && $1 < 500000' | grep -F -- '\(marker)' || true").stdout
        .split(separator: "\n").map(String.init)
}

/// `run` from CommandRunner.swift, named apart from the test's own `run`.
func foundationRun(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> CommandResult {
    try run(executable, arguments, environment: environment)
}
