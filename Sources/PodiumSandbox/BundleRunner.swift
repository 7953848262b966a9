import Foundation
import PodiumApp
import PodiumDomain
import SandboxProtocol

/// Model bundles (DESIGN §3): an archive whose root holds `bundle.yaml`; Podium unpacks it
/// safely, runs its command in the sandbox (`podium-launcher`) on the challenge's `test.csv`,
/// and scores what it writes to `$PODIUM_OUTPUT`.
public struct LauncherSandbox: SandboxRunner {
    /// The `podium-launcher` executable.
    public let launcher: String
    /// Folders to look for `sandbox/` in (`seccomp.policy`, `limits.yaml`, `readonly-paths`), first match wins.
    public let searchFolders: [String]
    /// The folder of the named runtimes (`NAME/venv`), when it is not `sandbox/runtimes`.
    public let runtimes: String?

    public init(launcher: String, searchFolders: [String], runtimes: String?) {
        self.launcher = launcher
        self.searchFolders = searchFolders
        self.runtimes = runtimes
    }

    /// Runs the bundle in the sandbox on `input`; returns the path of its predictions.
    public func run(
        command: [String], bundle: String, input: String, runtime: String, limits: ChallengeConfig.SandboxLimits,
        work: String
    ) throws(JudgeError) -> (predictions: String, run: SandboxRun) {
        let sandbox = try SandboxFiles.locate(
            launcher: launcher, searchFolders: searchFolders, runtimes: runtimes, runtime: runtime)
        let root = work + "/root"
        let output = work + "/predictions.csv"
        let meta = work + "/meta"
        let tail = work + "/stderr"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // The sandbox's user owns nothing on the host: give it the input from a folder it can
        // traverse (a hard link, else a copy), not from wherever the challenge lives.
        let visibleInput = work + "/test.csv"
        if link(input, visibleInput) != 0 {
            do { try FileManager.default.copyItem(atPath: input, toPath: visibleInput) } catch {
                throw Self.internalError("cannot stage the input for the sandbox: \(error)")
            }
        }
        let input = visibleInput
        let effective = Effective(limits, defaults: sandbox.defaults)
        var arguments: [String] = [
            "--bundle", bundle, "--input", input, "--root", root, "--policy", sandbox.policy, "--meta", meta,
            "--output", output, "--stderr-tail", tail,
        ]
        arguments += ["--cpu", String(effective.cpu), "--wall", String(effective.wall)]
        arguments += ["--memory-mb", String(effective.memoryMB), "--output-mb", String(effective.outputMB)]
        arguments += ["--processes", String(effective.processes), "--tmp-mb", String(effective.tmpMB)]
        arguments += ["--threads", String(effective.cpus)]
        for path in sandbox.readOnly { arguments += ["--ro", path] }
        arguments += ["--runtime", sandbox.runtime]
        arguments += ["--"] + command
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sandbox.launcher)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let diagnostics = work + "/launcher.log"
        _ = FileManager.default.createFile(atPath: diagnostics, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: diagnostics)
        do { try process.run() } catch {
            throw Self.internalError("cannot start the sandbox launcher \(sandbox.launcher): \(error)")
        }
        process.waitUntilExit()
        guard let text = try? String(contentsOfFile: meta, encoding: .utf8) else {
            throw Self.internalError(
                "the sandbox launcher reported nothing (exit \(process.terminationStatus)): "
                    + "\((try? String(contentsOfFile: diagnostics, encoding: .utf8)) ?? "")"
            )
        }
        let tailText = (try? String(contentsOfFile: tail, encoding: .utf8)) ?? ""
        guard let run = SandboxRun(metaText: text, stderrTail: tailText) else {
            throw Self.internalError("the sandbox launcher wrote an unreadable report: \(text.prefix(200))")
        }
        if run.verdict == .ok { return (output, run) }
        if run.verdict == .sandboxError {
            throw Self.internalError(
                "the sandbox failed: \(run.message) \(run.stderrTail) "
                    + "\((try? String(contentsOfFile: diagnostics, encoding: .utf8)) ?? "")"
            )
        }
        var error = JudgeError(
            code: ErrorCode(run.verdict), message: Self.explain(run, limits: effective, message: run.message))
        error.failed = true
        error.run = run
        throw error
    }

    /// A message a student can act on.
    /// The limits of a run: the challenge's, else `sandbox/limits.yaml`'s.
    struct Effective {
        var cpu: Double, wall: Double, memoryMB: Int, outputMB: Int, processes: Int, tmpMB: Int
        /// The cores thread pools are sized to.
        var cpus: Int

        init(_ limits: ChallengeConfig.SandboxLimits, defaults: [String: Double]) {
            cpu = limits.cpuSeconds ?? defaults["cpu_seconds"] ?? 60
            wall = limits.wallSeconds ?? defaults["wall_seconds"] ?? 120
            memoryMB = limits.memoryMB ?? Int(defaults["memory_mb"] ?? 2048)
            outputMB = limits.outputMB ?? Int(defaults["output_mb"] ?? 64)
            processes = limits.processes ?? Int(defaults["processes"] ?? 32)
            tmpMB = limits.tmpMB ?? Int(defaults["tmp_mb"] ?? 256)
            cpus = limits.cpus ?? Int(defaults["cpus"] ?? 2)
        }
    }

    static func explain(_ run: SandboxRun, limits: Effective, message: String) -> String {
        let tail = run.stderrTail.isEmpty ? "" : "; the end of its stderr: \(run.stderrTail.suffix(600))"
        switch run.verdict {
        case .memoryLimit:
            // memory_mb holds every process of the run and the files in its /tmp.
            return
                "used more than \(limits.memoryMB) MB of memory (all its processes and /tmp "
                + "together)\(message.isEmpty ? "" : "; \(message)")\(tail)"
        case .cpuLimit: return "used more than \(Int(limits.cpu)) s of CPU time (all processes together)"
        case .wallLimit: return "ran longer than \(Int(limits.wall)) s"
        case .outputLimit:
            // The launcher says which: stdout and stderr, /output (output_mb) or /tmp (tmp_mb).
            return (message.isEmpty ? "wrote more than \(limits.outputMB) MB (stdout, stderr or files)" : message)
                + tail
        case .processLimit: return "started more than \(limits.processes) processes or threads\(tail)"
        case .forbiddenSyscall: return "made a system call the sandbox forbids (signal \(run.signal ?? 31))\(tail)"
        case .noOutput: return "finished without writing a regular file at $PODIUM_OUTPUT (\(message))\(tail)"
        case .nonzeroExit: return "exited with status \(run.exitCode ?? -1)\(tail)"
        default: return "was stopped by signal \(run.signal ?? 0)\(tail)"
        }
    }

    static func internalError(_ message: String) -> JudgeError {
        var e = JudgeError(code: .sandboxError, message: message)
        e.isInternal = true
        return e
    }
}

/// Where the launcher and the policy files are: beside the `podium` executable and in the
/// repository's `sandbox/` (or `$PODIUM_SANDBOX`).
struct SandboxFiles {
    var launcher: String
    var policy: String
    var readOnly: [String]
    /// The runtime's venv: `sandbox/runtimes/NAME/venv` (or `$PODIUM_RUNTIMES/NAME/venv`).
    var runtime: String
    /// `limits.yaml`: the default limits.
    var defaults: [String: Double] = [:]

    static func locate(launcher: String, searchFolders: [String], runtimes: String?, runtime name: String)
        throws(JudgeError) -> SandboxFiles
    {
        guard FileManager.default.isExecutableFile(atPath: launcher) else {
            throw LauncherSandbox.internalError(
                "the sandbox launcher is missing (\(launcher)); build it with `swift build`")
        }
        guard let dir = searchFolders.first(where: { FileManager.default.fileExists(atPath: $0 + "/seccomp.policy") })
        else {
            throw LauncherSandbox.internalError("cannot find sandbox/seccomp.policy (set PODIUM_SANDBOX)")
        }
        let list = (try? String(contentsOfFile: dir + "/readonly-paths", encoding: .utf8)) ?? "/usr\n"
        let paths = list.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && !$0.hasPrefix("#")
        }
        var defaults: [String: Double] = [:]
        for line in ((try? String(contentsOfFile: dir + "/limits.yaml", encoding: .utf8)) ?? "").split(separator: "\n")
        {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = content.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, let v = Double(parts[1]) { defaults[parts[0]] = v }
        }
        // A runtime the course names but this machine lacks is the judge's fault (set-up), not the
        // student's: the bundle is tried again later, then `judge_error`.
        let venv = (runtimes ?? dir + "/runtimes") + "/\(name)/venv"
        guard FileManager.default.fileExists(atPath: venv + "/bin/python3") else {
            throw LauncherSandbox.internalError(
                "the runtime '\(name)' is not installed on this machine (\(venv)); run scripts/setup.sh")
        }
        let runtime = URL(fileURLWithPath: venv).standardizedFileURL.path
        return SandboxFiles(
            launcher: launcher, policy: dir + "/seccomp.policy", readOnly: paths, runtime: runtime, defaults: defaults)
    }
}
