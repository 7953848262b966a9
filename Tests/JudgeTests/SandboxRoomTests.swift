import Foundation
import Testing

/// Strict where it must be, room where a real model needs it: a scratch file in /tmp is held to
/// `tmp_mb` (the size of /tmp), not to `output_mb`; /output is held to `output_mb`; an OOM kill
/// anywhere in the run's tree is `memory_limit` whatever ended the run, and nothing else is
/// reported as one. Part of the serialized sandbox suite (`SandboxTests.limits`: 256 MB of
/// memory, an 8 MB /output, a 64 MB /tmp, 16 processes, 4 s of wall time).
extension SandboxTests {
    struct Case: Sendable {
        let script: String
        /// The failure code, or "scored".
        let expected: String
        /// Words the failure's message must contain (which limit, where).
        let says: [String]
        var yaml = SandboxTests.limits
    }

    static let room: [String: Case] = [
        "a 20 MB scratch file in /tmp": Case(
            script: """
                with open('/tmp/scratch.bin', 'wb') as f:
                    for i in range(20): f.write(bytes([i]) * 1048576)
                assert os.path.getsize('/tmp/scratch.bin') == 20 * 1048576
                with open('/tmp/scratch.bin', 'rb') as f:
                    f.seek(19 * 1048576); assert f.read(1) == bytes([19])
                """, expected: "scored", says: []),
        "a file larger than both output_mb and tmp_mb, where no tmpfs size holds it": Case(
            script: """
                import errno
                try:
                    with open('/dev/shm/big', 'wb') as f:  # a 64 MB tmpfs; the file size backstop is 16 MB
                        for i in range(20): f.write(b'x' * 1048576)
                    sys.exit(50)
                except OSError as e:
                    if e.errno != errno.EFBIG: raise
                os.unlink('/dev/shm/big')
                """, expected: "scored", says: [],
            yaml:
                "sandbox:\n  cpu_seconds: 2\n  wall_seconds: 4\n  memory_mb: 256\n  output_mb: 8\n  processes: 16\n  "
                + "tmp_mb: 16\n"
        ),
        "more than tmp_mb in /tmp": Case(
            script: """
                with open('/tmp/spill.bin', 'wb') as f:
                    for i in range(100): f.write(b'x' * 1048576)
                """, expected: "output_limit", says: ["/tmp", "64 MB"]),
        "more than tmp_mb in /tmp, in many files": Case(
            script: """
                for i in range(100):
                    with open(f'/tmp/part{i}', 'wb') as f: f.write(b'x' * 1048576)
                """, expected: "output_limit", says: ["/tmp"]),
        "past output_mb into /output": Case(
            script: """
                with open(os.environ['PODIUM_OUTPUT'], 'w') as f:
                    f.write('id,prediction\\n')
                    while True: f.write('1,0.5\\n' * 100000)
                """, expected: "output_limit", says: ["/output", "8 MB"]),
        "past output_mb into /output, the error caught and the file cut": Case(
            script: """
                try:
                    with open(os.environ['PODIUM_OUTPUT'], 'w') as f:
                        f.write('id,prediction\\n')
                        while True: f.write('1,0.5\\n' * 100000)
                except OSError:
                    pass
                sys.exit(0)
                """, expected: "output_limit", says: ["/output"]),
        "a worker pool over the memory limit together": Case(
            script: """
                import multiprocessing
                def work(i):
                    x = bytearray(60 * 1024 * 1024)  # 6 x 60 MB > 256 MB; each well below it
                    for j in range(0, len(x), 4096): x[j] = 1
                    time.sleep(3)  # held until all six have allocated
                    return i
                if __name__ == '__main__':
                    with multiprocessing.get_context('fork').Pool(6) as pool:
                        pool.map(work, range(6), chunksize=1)  # a killed worker's task never returns
                """, expected: "memory_limit", says: ["killed"]),
        "children killed for memory, the parent writes predictions anyway": Case(
            script: """
                kids = []
                for i in range(6):
                    pid = os.fork()
                    if pid == 0:
                        x = bytearray(60 * 1024 * 1024)
                        for j in range(0, len(x), 4096): x[j] = 1
                        time.sleep(3); os._exit(0)  # held until all six have allocated
                    kids.append(pid)
                for k in kids: os.waitpid(k, 0)
                """, expected: "memory_limit", says: ["killed"]),
        "a worker pool within the memory limit, past the wall limit": Case(
            script: """
                import multiprocessing
                def work(i):
                    x = bytearray(20 * 1024 * 1024)  # 6 x 20 MB < 256 MB
                    for j in range(0, len(x), 4096): x[j] = 1
                    time.sleep(30)
                if __name__ == '__main__':
                    with multiprocessing.get_context('fork').Pool(6) as pool:
                        pool.map(work, range(6), chunksize=1)
                """, expected: "wall_limit", says: []),
        "a peak within 1% of the memory limit, no OOM kill, then exit 1": Case(
            script: """
                x = bytearray(1012 * 1024 * 1024)  # with Python itself ~1016 MB: above 99% of 1024 MB, below it
                for j in range(0, len(x), 4096): x[j] = 1
                sys.exit(1)
                """, expected: "nonzero_exit", says: [],
            yaml:
                "sandbox:\n  cpu_seconds: 10\n  wall_seconds: 30\n  memory_mb: 1024\n  output_mb: 8\n  processes: "
                + "16\n  tmp_mb: 64\n"
        ),
    ]

    @Test(arguments: room.keys.sorted())
    func roomAndLimits(_ name: String) throws {
        let c = Self.room[name]!
        let marker = "podium-room-\(UUID().uuidString.prefix(8))"
        let r = try Self.run(c.script, yaml: c.yaml, marker: marker)
        let (status, code) = Self.status(r)
        if c.expected == "scored" {
            #expect(status == "scored", "\(name): \(r.stdout) \(r.stderr)")
        } else {
            #expect(status == "failed" && code == c.expected, "\(name): \(r.stdout) \(r.stderr)")
            let message = ((r.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
            for word in c.says { #expect(message.contains(word), "\(name): \(message)") }
        }
        #expect(try sandboxProcesses(marker).isEmpty, "\(name) left processes")
    }

    /// A scikit-learn model that spills a 20 MB feature cache and itself to /tmp (as joblib does),
    /// with the output capped at 8 MB: scored. Needs the bundle runtime (sandbox/runtimes/tabular/venv).
    @Test func scikitLearnModelSpillingToTmpScores() throws {
        let script = """
            import joblib, numpy as np
            from sklearn.linear_model import LogisticRegression
            rng = np.random.default_rng(0)
            X = rng.normal(size=(2000, 8)); y = (X[:, 0] > 0).astype(int)
            cache = rng.normal(size=(3 * 1024 * 1024,))  # 24 MB of float64
            np.save('/tmp/features.npy', cache)
            joblib.dump(LogisticRegression().fit(X, y), '/tmp/model.joblib')
            assert os.path.getsize('/tmp/features.npy') > 20 * 1024 * 1024
            model = joblib.load('/tmp/model.joblib')
            assert np.load('/tmp/features.npy', mmap_mode='r').shape == cache.shape
            assert model.score(X, y) > 0.9
            """
        let r = try Self.run(
            script, yaml: "sandbox:\n  memory_mb: 768\n  output_mb: 8\n  wall_seconds: 60\n  cpu_seconds: 30\n")
        #expect(Self.status(r).0 == "scored", "\(r.stdout) \(r.stderr)")
        let auc = (r.json?["scores"] as? [String: [String: Any]])?["public"]?["auc"] as? Double
        #expect(auc == 1.0, "\(r.stdout)")
    }

    /// `tmp_mb` from challenge.yaml sizes /tmp: 48 MB fit in a /tmp of 80, not in one of 40.
    @Test func tmpSizeComesFromTheChallenge() throws {
        let script = """
            with open('/tmp/spill.bin', 'wb') as f:
                for i in range(48): f.write(b'x' * 1048576)
            """
        let base = "sandbox:\n  memory_mb: 512\n  output_mb: 8\n  wall_seconds: 20\n  cpu_seconds: 10\n"
        let roomy = try Self.run(script, yaml: base + "  tmp_mb: 80\n")
        #expect(Self.status(roomy).0 == "scored", "\(roomy.stdout) \(roomy.stderr)")
        let tight = try Self.run(script, yaml: base + "  tmp_mb: 40\n")
        #expect(
            Self.status(tight).0 == "failed" && Self.status(tight).1 == "output_limit",
            "\(tight.stdout) \(tight.stderr)")
    }
}
