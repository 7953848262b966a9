import Foundation
import Intake
import Yams

/// Model bundles (DESIGN §3): an archive whose root holds `bundle.yaml`; Podium unpacks it
/// safely, runs its command in the sandbox (`podium-launcher`) on the challenge's `test.csv`,
/// and scores what it writes to `$PODIUM_OUTPUT`.
enum BundleRunner {
    /// How a run went, as the launcher reported it.
    struct Run: Sendable {
        var status: String
        var exitCode: Int?
        var signal: Int?
        var cpuSeconds: Double
        var wallSeconds: Double
        var peakMemoryMB: Double
        var stderrTail: String
    }

    /// `bundle.yaml`.
    struct Manifest {
        var command: [String]
        var trainingIds: String?
        var trainingMaxTime: String?
    }

    /// Unpacks `archive` into `folder`; `nil` when it holds no `bundle.yaml` at its root.
    static func unpack(_ archive: String, into folder: String) throws(JudgeError) -> Manifest? {
        do {
            _ = try SafeExtractor.extract(archive, into: folder)
        } catch {
            throw JudgeError(error)
        }
        let path = folder + "/bundle.yaml"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw JudgeError(code: "bad_bundle", message: "bundle.yaml is not UTF-8 text")
        }
        return try parse(text)
    }

    static func parse(_ text: String) throws(JudgeError) -> Manifest {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw JudgeError(code: "bad_bundle", message: "bundle.yaml is not valid YAML: \(error)")
        }
        guard let node, case .mapping(let map) = node else {
            throw JudgeError(code: "bad_bundle", message: "bundle.yaml must be a mapping with a `run` key")
        }
        var manifest = Manifest(command: [])
        for (k, v) in map {
            switch k.string {
            case "run":
                guard let text = v.string, let words = splitCommand(text), !words.isEmpty else {
                    throw JudgeError(code: "bad_bundle", message: "bundle.yaml's `run` must be a command such as `python3 predict.py`", row: k.mark?.line, column: "run")
                }
                manifest.command = words
            case "training":
                guard case .mapping(let t) = v else {
                    throw JudgeError(code: "bad_bundle", message: "bundle.yaml's `training` must be a mapping", row: k.mark?.line, column: "training")
                }
                for (tk, tv) in t {
                    switch tk.string {
                    case "ids": manifest.trainingIds = tv.string
                    case "max_time": manifest.trainingMaxTime = tv.string
                    default:
                        throw JudgeError(code: "bad_bundle", message: "unknown key `training.\(tk.string ?? "")` in bundle.yaml; it takes ids and max_time", row: tk.mark?.line, column: "training.\(tk.string ?? "")")
                    }
                }
            default:
                throw JudgeError(code: "bad_bundle", message: "unknown key `\(k.string ?? "")` in bundle.yaml; it takes run and training", row: k.mark?.line, column: k.string)
            }
        }
        guard !manifest.command.isEmpty else { throw JudgeError(code: "bad_bundle", message: "bundle.yaml needs a `run` command") }
        return manifest
    }

    /// Splits a command like a shell would (quotes and backslashes; no expansion), without a shell.
    static func splitCommand(_ text: String) -> [String]? {
        var words: [String] = [], current = ""
        var inWord = false, quote: Character? = nil, escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
                continue
            }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true } else { current.append(c) }
                continue
            }
            switch c {
            case "\\": escaped = true; inWord = true
            case "\"", "'": quote = c; inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(c); inWord = true
            }
        }
        if quote != nil || escaped { return nil }
        if inWord { words.append(current) }
        return words
    }

    /// Runs the bundle in the sandbox on `input`; returns the path of its predictions.
    static func run(_ manifest: Manifest, bundle: String, input: String, config: ChallengeConfig, work: String) throws(JudgeError) -> (String, Run) {
        let sandbox = try SandboxFiles.locate()
        let limits = config.sandbox
        let root = work + "/root", output = work + "/predictions.csv", meta = work + "/meta", tail = work + "/stderr"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // The sandbox's user owns nothing on the host: give it the input from a folder it can
        // traverse (a hard link, else a copy), not from wherever the challenge lives.
        let visibleInput = work + "/test.csv"
        if link(input, visibleInput) != 0 {
            do { try FileManager.default.copyItem(atPath: input, toPath: visibleInput) } catch {
                throw internalError("cannot stage the input for the sandbox: \(error)")
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
        for path in sandbox.readOnly { arguments += ["--ro", path] }
        if let runtime = sandbox.runtime { arguments += ["--runtime", runtime] }
        arguments += ["--"] + manifest.command
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sandbox.launcher)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let diagnostics = work + "/launcher.log"
        _ = FileManager.default.createFile(atPath: diagnostics, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: diagnostics)
        do { try process.run() } catch {
            throw internalError("cannot start the sandbox launcher \(sandbox.launcher): \(error)")
        }
        process.waitUntilExit()
        guard let text = try? String(contentsOfFile: meta, encoding: .utf8) else {
            throw internalError("the sandbox launcher reported nothing (exit \(process.terminationStatus)): \((try? String(contentsOfFile: diagnostics, encoding: .utf8)) ?? "")")
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        let run = Run(
            status: fields["status"] ?? "sandbox_error", exitCode: fields["exit_code"].flatMap { Int($0) },
            signal: fields["signal"].flatMap { Int($0) }, cpuSeconds: Double(fields["cpu_seconds"] ?? "") ?? 0,
            wallSeconds: Double(fields["wall_seconds"] ?? "") ?? 0, peakMemoryMB: Double(fields["peak_memory_mb"] ?? "") ?? 0,
            stderrTail: (try? String(contentsOfFile: tail, encoding: .utf8)) ?? "")
        if run.status == "ok" { return (output, run) }
        if run.status == "sandbox_error" {
            throw internalError("the sandbox failed: \(fields["message"] ?? "") \(run.stderrTail) \((try? String(contentsOfFile: diagnostics, encoding: .utf8)) ?? "")")
        }
        var error = JudgeError(code: run.status, message: explain(run, limits: effective, message: fields["message"] ?? ""))
        error.failed = true
        error.run = run
        throw error
    }

    /// A message a student can act on.
    /// The limits of a run: the challenge's, else `sandbox/limits.yaml`'s.
    struct Effective {
        var cpu: Double, wall: Double, memoryMB: Int, outputMB: Int, processes: Int, tmpMB: Int

        init(_ limits: ChallengeConfig.SandboxLimits, defaults: [String: Double]) {
            cpu = limits.cpuSeconds ?? defaults["cpu_seconds"] ?? 60
            wall = limits.wallSeconds ?? defaults["wall_seconds"] ?? 120
            memoryMB = limits.memoryMB ?? Int(defaults["memory_mb"] ?? 2048)
            outputMB = limits.outputMB ?? Int(defaults["output_mb"] ?? 64)
            processes = limits.processes ?? Int(defaults["processes"] ?? 32)
            tmpMB = limits.tmpMB ?? Int(defaults["tmp_mb"] ?? 256)
        }
    }

    static func explain(_ run: Run, limits: Effective, message: String) -> String {
        let tail = run.stderrTail.isEmpty ? "" : "; the end of its stderr: \(run.stderrTail.suffix(600))"
        switch run.status {
        case "memory_limit":
            // memory_mb holds every process of the run and the files in its /tmp.
            return "used more than \(limits.memoryMB) MB of memory (all its processes and /tmp together)\(message.isEmpty ? "" : "; \(message)")\(tail)"
        case "cpu_limit": return "used more than \(Int(limits.cpu)) s of CPU time (all processes together)"
        case "wall_limit": return "ran longer than \(Int(limits.wall)) s"
        case "output_limit":
            // The launcher says which: stdout and stderr, /output (output_mb) or /tmp (tmp_mb).
            return (message.isEmpty ? "wrote more than \(limits.outputMB) MB (stdout, stderr or files)" : message) + tail
        case "process_limit": return "started more than \(limits.processes) processes or threads\(tail)"
        case "forbidden_syscall": return "made a system call the sandbox forbids (signal \(run.signal ?? 31))\(tail)"
        case "no_output": return "finished without writing a regular file at $PODIUM_OUTPUT (\(message))\(tail)"
        case "nonzero_exit": return "exited with status \(run.exitCode ?? -1)\(tail)"
        default: return "was stopped by signal \(run.signal ?? 0)\(tail)"
        }
    }

    static func internalError(_ message: String) -> JudgeError {
        var e = JudgeError(code: "sandbox_error", message: message)
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
    /// The bundle runtime: `sandbox/runtime/venv` (or `$PODIUM_RUNTIME`) when it exists.
    var runtime: String? = nil
    /// `limits.yaml`: the default limits.
    var defaults: [String: Double] = [:]

    static func locate() throws(JudgeError) -> SandboxFiles {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let launcher = ProcessInfo.processInfo.environment["PODIUM_LAUNCHER"] ?? executable.appendingPathComponent("podium-launcher").path
        guard FileManager.default.isExecutableFile(atPath: launcher) else {
            throw BundleRunner.internalError("the sandbox launcher is missing (\(launcher)); build it with `swift build`")
        }
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["PODIUM_SANDBOX"] { candidates.append(dir) }
        for start in [executable, URL(fileURLWithPath: FileManager.default.currentDirectoryPath), URL(fileURLWithPath: #filePath)] {
            var url = start
            for _ in 0..<8 {
                candidates.append(url.appendingPathComponent("sandbox").path)
                url = url.deletingLastPathComponent()
            }
        }
        guard let dir = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/seccomp.policy") }) else {
            throw BundleRunner.internalError("cannot find sandbox/seccomp.policy (set PODIUM_SANDBOX)")
        }
        let list = (try? String(contentsOfFile: dir + "/readonly-paths", encoding: .utf8)) ?? "/usr\n"
        let paths = list.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var defaults: [String: Double] = [:]
        for line in ((try? String(contentsOfFile: dir + "/limits.yaml", encoding: .utf8)) ?? "").split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = content.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, let v = Double(parts[1]) { defaults[parts[0]] = v }
        }
        let venv = ProcessInfo.processInfo.environment["PODIUM_RUNTIME"] ?? dir + "/runtime/venv"
        let runtime = FileManager.default.fileExists(atPath: venv + "/bin/python3") ? URL(fileURLWithPath: venv).standardizedFileURL.path : nil
        return SandboxFiles(launcher: launcher, policy: dir + "/seccomp.policy", readOnly: paths, runtime: runtime, defaults: defaults)
    }
}
