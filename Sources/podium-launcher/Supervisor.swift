import CSandbox
import Glibc
import SandboxProtocol

/// The launcher's host side (L): namespaces, cgroups, the run, its limits, and the report.
struct Supervisor {
    var o: Options
    init(_ options: Options) { o = options }

    /// What the meta file says.
    struct Report {
        var status = Verdict.ok
        var exitCode: Int32? = nil
        var signal: Int32? = nil
        var cpuSeconds = 0.0
        var wallSeconds = 0.0
        var peakMemoryMB = 0.0
        var outputBytes = 0
        var message = ""
    }

    mutating func run() -> Int32 {
        let rules: [Policy.Rule]
        do throws(SetupError) {
            guard let text = readFile(o.policy) else { throw SetupError(step: "read \(o.policy)", code: errno) }
            rules = try Policy.parse(text)
        } catch {
            return finish(Report(status: .sandboxError, message: error.description), nil)
        }
        let hostBase = 200_000 + Int(getpid() % 100_000) * 2
        let groups = CGroups.create(name: "run-\(getpid())", memoryMB: o.memoryMB, processes: o.processes)
        o.cgroupMemory = groups.folders["memory"] != nil
        o.cgroupPids = groups.folders["pids"] != nil
        var go = [Int32](repeating: 0, count: 2)
        var back = [Int32](repeating: 0, count: 2)
        var out = [Int32](repeating: 0, count: 2)
        var err = [Int32](repeating: 0, count: 2)
        var status = [Int32](repeating: 0, count: 2)
        guard podium_pipe(&go) == 0, podium_pipe(&back) == 0, podium_pipe(&out) == 0,
            podium_pipe(&err) == 0, podium_pipe(&status) == 0
        else {
            return finish(Report(status: .sandboxError, message: "pipe: \(String(cString: strerror(errno)))"), groups)
        }
        let outputFd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard outputFd >= 0 else { return finish(Report(status: .sandboxError, message: "open \(o.output)"), groups) }
        let start = now()

        let m = fork()
        if m == 0 {
            // M: the namespaces' owner. It never returns.
            close(go[1])
            close(back[0])
            close(out[0])
            close(err[0])
            close(status[0])
            middle(
                rules: rules, go: go[0], back: back[1], out: out[1], err: err[1], status: status[1], outputFd: outputFd)
        }
        close(go[0])
        close(back[1])
        close(out[1])
        close(err[1])
        close(status[1])
        close(outputFd)
        groups.join(m)
        var report = Report()
        do throws(SetupError) {
            try writeAll(go[1], "g\n")  // M may unshare
            guard readLine(back[0]) == "unshared" else { throw SetupError(step: "unshare", code: EPERM) }
            try writeFile("/proc/\(m)/setgroups", "deny")
            try writeFile("/proc/\(m)/uid_map", "0 \(hostBase) 1\n\(Confinement.insideId) \(hostBase + 1) 1\n")
            try writeFile("/proc/\(m)/gid_map", "0 \(hostBase) 1\n\(Confinement.insideId) \(hostBase + 1) 1\n")
            try writeAll(go[1], "m\n")  // mapped
        } catch {
            kill(m, SIGKILL)
            var ws: Int32 = 0
            waitpid(m, &ws, 0)
            return finish(Report(status: .sandboxError, message: error.description), groups)
        }
        guard let gLine = readLine(back[0]), let g = pid_t(gLine) else {
            var ws: Int32 = 0
            waitpid(m, &ws, 0)
            let why = readAll(status[0])
            return finish(
                Report(status: .sandboxError, message: why.isEmpty ? "the sandbox did not start" : why), groups)
        }
        report = supervise(m: m, g: g, stdout: out[0], stderr: err[0], groups: groups, start: start)
        // M's account of G, and of the output.
        let result = readAll(status[0]).split(separator: "\n").map(String.init)
        var ws: Int32 = 0
        waitpid(m, &ws, 0)
        report.wallSeconds = now() - start
        var full: [String] = []
        for line in result {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "exit": report.exitCode = Int32(parts[1])
            case "signal": report.signal = Int32(parts[1])
            case "output": report.outputBytes = Int(parts[1]) ?? 0
            case "no_output": if report.status == .ok { report.message = parts[1] }
            case "setup":
                report.status = .sandboxError
                report.message = parts[1]
            case "full": full.append(parts[1])
            default: break
            }
        }
        report.cpuSeconds = groups.cpuSeconds ?? report.cpuSeconds
        report.peakMemoryMB = (groups.peakMemoryBytes ?? report.peakMemoryMB * 1_048_576) / 1_048_576
        if report.status == .ok {
            let (status, message) = verdict(
                report, groups: groups, hadOutput: result.contains { $0.hasPrefix("output ") }, full: full)
            report.status = status
            if status != .noOutput { report.message = message }
        }
        // An OOM kill is the cause, whatever ended the run: a pool whose worker was killed waits
        // for it until the wall limit, a parent sees a child die, a result may be missing.
        if report.status != .sandboxError, let kills = groups.oomKills, kills > 0 {
            report.status = .memoryLimit
            report.message = "the memory limit killed \(kills) process\(kills == 1 ? "" : "es")"
        }
        return finish(report, groups)
    }

    /// The tail of stderr names an allocation failure (Python's MemoryError, C++'s bad_alloc).
    var stderrSaysOutOfMemory: Bool {
        guard !o.stderrTail.isEmpty, let tail = readFile(o.stderrTail) else { return false }
        return tail.contains("MemoryError") || tail.contains("std::bad_alloc")
            || tail.contains("Cannot allocate memory")
    }

    /// The verdict once the run is over and no limit was enforced by the supervisor itself, with
    /// a message when the status alone does not say which limit. `full` lists the tmpfs mounts
    /// (/output, /tmp) that M found with no free block or inode left.
    func verdict(_ r: Report, groups: CGroups, hadOutput: Bool, full: [String]) -> (Verdict, String) {
        // Where OOM kills are counted (see `run`), memory_limit without one means the bundle's
        // own allocation failed (the address-space backstop): never a guess from the peak.
        let memoryGuess = groups.oomKills == nil
        if let s = r.signal {
            if s == SIGSYS { return (.forbiddenSyscall, "") }
            if s == SIGXCPU || r.cpuSeconds >= o.cpuSeconds { return (.cpuLimit, "") }
            if s == SIGXFSZ { return (.outputLimit, "wrote a file larger than \(max(o.outputMB, o.tmpMB)) MB") }
            if memoryGuess && (groups.memoryChargeFailed || s == SIGKILL && r.peakMemoryMB >= Double(o.memoryMB) * 0.9)
            {
                return (.memoryLimit, "")
            }
            // A library that cannot start a thread often aborts or crashes rather than failing
            // cleanly (TensorFlow's pthread_create check): the limit it hit is the cause.
            if groups.processLimitHit { return (.processLimit, "") }
            return (.signaled, "")
        }
        // A full /output: whatever is there may be cut short.
        if full.contains("/output") { return (.outputLimit, "wrote more than \(o.outputMB) MB to /output (output_mb)") }
        if r.exitCode == 0 && hadOutput { return (.ok, "") }
        // A full /tmp is the bundle's business if it coped; if it failed, that is why.
        if full.contains("/tmp") {
            return (.outputLimit, "filled /tmp (tmp_mb: \(o.tmpMB) MB, at most \(Filesystem.tmpInodes) files)")
        }
        if stderrSaysOutOfMemory
            || memoryGuess && (groups.memoryChargeFailed || r.peakMemoryMB >= Double(o.memoryMB) * 0.99)
        {
            return (.memoryLimit, "")
        }
        if groups.processLimitHit { return (.processLimit, "") }
        return (r.exitCode != 0 ? .nonzeroExit : .noOutput, "")
    }

    /// Reads stdout and stderr while the bundle runs, counting them against the cap and keeping
    /// the tail of stderr; enforces wall time and the tree's CPU time; kills on a breach.
    func supervise(m: pid_t, g: pid_t, stdout: Int32, stderr: Int32, groups: CGroups, start: Double) -> Report {
        var report = Report()
        var fds = [
            pollfd(fd: stdout, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stderr, events: Int16(POLLIN), revents: 0),
        ]
        var openCount = 2
        var total = 0
        var tail: [UInt8] = []
        let cap = o.outputMB << 20
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var killed = false
        func stop(_ status: Verdict, _ message: String) {
            guard !killed else { return }
            killed = true
            report.status = status
            report.message = message
            kill(g, SIGKILL)  // PID 1 of its namespace: everything in it dies
        }
        while openCount > 0 {
            let ready = poll(&fds, 2, 50)
            if ready > 0 {
                for k in 0..<2 where fds[k].fd >= 0 && fds[k].revents != 0 {
                    let n = buffer.withUnsafeMutableBytes { read(fds[k].fd, $0.baseAddress, $0.count) }
                    if n <= 0 {
                        close(fds[k].fd)
                        fds[k].fd = -1
                        openCount -= 1
                        continue
                    }
                    total += n
                    if k == 1 {
                        tail.append(contentsOf: buffer[0..<n])
                        if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
                    }
                    if total > cap { stop(.outputLimit, "wrote more than \(o.outputMB) MB to stdout and stderr") }
                }
            }
            let elapsed = now() - start
            if elapsed > o.wallSeconds { stop(.wallLimit, "ran longer than \(Int(o.wallSeconds)) s of wall time") }
            if let cpu = groups.cpuSeconds, cpu > o.cpuSeconds {
                stop(.cpuLimit, "used more than \(Int(o.cpuSeconds)) s of CPU time")
            }
        }
        // The pipes closed: every writer is gone (or was killed). Wait for G through M.
        while true {
            var ws: Int32 = 0
            let r = waitpid(m, &ws, WNOHANG)
            if r != 0 { break }
            if now() - start > o.wallSeconds + 5 {
                stop(.wallLimit, "ran longer than \(Int(o.wallSeconds)) s of wall time")
            }
            if let cpu = groups.cpuSeconds, cpu > o.cpuSeconds {
                stop(.cpuLimit, "used more than \(Int(o.cpuSeconds)) s of CPU time")
            }
            usleep(500)
            // M has not exited: re-wait below after reading its status.
            if killed { break }
        }
        if !o.stderrTail.isEmpty {
            let fd = open(o.stderrTail, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                _ = tail.suffix(4096).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
        report.cpuSeconds = groups.cpuSeconds ?? 0
        return report
    }

    func finish(_ r: Report, _ groups: CGroups?) -> Int32 {
        groups?.destroy()
        let run = SandboxRun(
            verdict: r.status, exitCode: r.exitCode.map(Int.init), signal: r.signal.map(Int.init),
            cpuSeconds: r.cpuSeconds,
            wallSeconds: r.wallSeconds, peakMemoryMB: r.peakMemoryMB, outputBytes: r.outputBytes, message: r.message)
        let text = run.metaText
        let fd = open(o.meta, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return 3 }
        _ = try? writeAll(fd, text)
        close(fd)
        return r.status == .sandboxError ? 3 : 0
    }

    /// M: unshares the namespaces, forks G (PID 1), waits for it, copies the output out.
    func middle(rules: [Policy.Rule], go: Int32, back: Int32, out: Int32, err: Int32, status: Int32, outputFd: Int32)
        -> Never
    {
        func fail(_ e: SetupError) -> Never {
            _ = try? writeAll(status, "setup \(e.description)\n")
            _exit(3)
        }
        guard readLine(go) == "g" else { _exit(3) }
        if podium_unshare_namespaces() != 0 { fail(SetupError(step: "unshare", code: errno)) }
        _ = try? writeAll(back, "unshared\n")
        guard readLine(go) == "m" else { _exit(3) }
        // Become the namespace's root (the host uid the map names), so files can be created.
        if podium_setresgid(0, 0, 0) != 0 || podium_setresuid(0, 0, 0) != 0 {
            fail(SetupError(step: "become root of the user namespace", code: errno))
        }
        let g = fork()
        if g == 0 {
            // G: PID 1 of the new PID namespace.
            dup2(out, 1)
            dup2(err, 2)
            let devnull = open("/dev/null", O_RDONLY)
            dup2(devnull, 0)
            do throws(SetupError) {
                try Filesystem.build(o)
                try Confinement.hostname()
                try Confinement.newSession()
                try Confinement.limits(o)
                Confinement.closeDescriptors()
                try check("chdir /bundle") { chdir("/bundle") }
                try Confinement.dropPrivileges()
                try Policy.load(rules)  // last, right before execve
            } catch {
                diagnose("podium-launcher: \(error.description)")
                _exit(125)
            }
            Confinement.exec(o.command, runtime: !o.runtime.isEmpty, threads: o.threads)
        }
        close(out)
        close(err)
        if g < 0 { fail(SetupError(step: "fork", code: errno)) }
        _ = try? writeAll(back, "\(g)\n")
        var ws: Int32 = 0
        while waitpid(g, &ws, 0) < 0 && errno == EINTR {}
        var lines = ""
        if (ws & 0x7f) == 0 {
            let code = (ws >> 8) & 0xff
            lines += "exit \(code)\n"
            if code == 125 { lines += "setup the sandbox could not be set up (see the launcher's stderr)\n" }
        } else {
            lines += "signal \(ws & 0x7f)\n"
        }
        lines += copyOutput(outputFd)
        lines += filledMounts()
        _ = try? writeAll(status, lines)
        _exit(0)
    }

    /// `full PATH` for each of /output and /tmp (as M sees the sandbox's root, after the run)
    /// with no free block or no free inode left: the bundle wrote up to its tmpfs size.
    func filledMounts() -> String {
        var lines = ""
        for path in ["/output", "/tmp"] {
            var s = statvfs()
            if statvfs(path, &s) == 0 && (s.f_bavail == 0 || s.f_favail == 0) { lines += "full \(path)\n" }
        }
        return lines
    }

    /// Copies /output/predictions.csv (as M sees the sandbox's root) to the host: opened with
    /// O_NOFOLLOW, a regular file, no larger than the output cap.
    func copyOutput(_ target: Int32) -> String {
        let fd = open("/output/predictions.csv", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return "no_output the bundle wrote no file at $PODIUM_OUTPUT\n" }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            return "no_output $PODIUM_OUTPUT is not a regular file\n"
        }
        guard Int(st.st_size) <= o.outputMB << 20 else {
            return "no_output $PODIUM_OUTPUT is larger than \(o.outputMB) MB\n"
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var copied = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            copied += n
            if copied > o.outputMB << 20 { return "no_output $PODIUM_OUTPUT is larger than \(o.outputMB) MB\n" }
            var done = 0
            while done < n {
                let w = buffer.withUnsafeBytes { write(target, $0.baseAddress! + done, n - done) }
                if w <= 0 { return "no_output cannot copy the output\n" }
                done += w
            }
        }
        return "output \(copied)\n"
    }
}

func writeAll(_ fd: Int32, _ text: String) throws(SetupError) {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { throw SetupError(step: "write", code: errno) }
        done += n
    }
}

/// One line from a pipe (nil at end of file).
func readLine(_ fd: Int32) -> String? {
    var bytes: [UInt8] = []
    var c: UInt8 = 0
    while true {
        let n = read(fd, &c, 1)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
        if c == 10 { return String(decoding: bytes, as: UTF8.self) }
        bytes.append(c)
    }
}

func readAll(_ fd: Int32) -> String {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        out.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}
