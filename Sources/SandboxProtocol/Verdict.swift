/// How a sandboxed run ended, as `podium-launcher` reports it on its own channel (the meta
/// file) and as the judge reads it back: one type on both sides, never loose strings.
public enum Verdict: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Exited 0 having written a regular file at `$PODIUM_OUTPUT`.
    case ok
    case cpuLimit = "cpu_limit"
    case wallLimit = "wall_limit"
    case memoryLimit = "memory_limit"
    case outputLimit = "output_limit"
    case processLimit = "process_limit"
    case forbiddenSyscall = "forbidden_syscall"
    case noOutput = "no_output"
    case nonzeroExit = "nonzero_exit"
    /// Killed by a signal none of the limits explains.
    case signaled
    /// The launcher itself failed: the judge's fault, never the bundle's.
    case sandboxError = "sandbox_error"

    public var description: String { rawValue }
}

/// The keys of the launcher's meta file (`key: value` lines).
public enum MetaKey: String, Sendable, CaseIterable {
    case status
    case exitCode = "exit_code"
    case signal
    case cpuSeconds = "cpu_seconds"
    case wallSeconds = "wall_seconds"
    case peakMemoryMB = "peak_memory_mb"
    case outputBytes = "output_bytes"
    case message
}

/// One run's measurements, as the meta file carries them.
public struct SandboxRun: Sendable, Codable, Equatable {
    public var verdict: Verdict
    public var exitCode: Int?
    public var signal: Int?
    public var cpuSeconds: Double
    public var wallSeconds: Double
    public var peakMemoryMB: Double
    public var outputBytes: Int
    public var message: String
    /// The end of the bundle's stderr (not part of the meta file; read beside it).
    public var stderrTail: String

    public init(
        verdict: Verdict, exitCode: Int? = nil, signal: Int? = nil, cpuSeconds: Double = 0, wallSeconds: Double = 0,
        peakMemoryMB: Double = 0, outputBytes: Int = 0, message: String = "", stderrTail: String = ""
    ) {
        self.verdict = verdict
        self.exitCode = exitCode
        self.signal = signal
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.peakMemoryMB = peakMemoryMB
        self.outputBytes = outputBytes
        self.message = message
        self.stderrTail = stderrTail
    }

    /// The meta file's text: one `key: value` line per field (the message last, on one line).
    public var metaText: String {
        var lines = ["\(MetaKey.status.rawValue): \(verdict.rawValue)"]
        if let exitCode { lines.append("\(MetaKey.exitCode.rawValue): \(exitCode)") }
        if let signal { lines.append("\(MetaKey.signal.rawValue): \(signal)") }
        lines.append("\(MetaKey.cpuSeconds.rawValue): \(cpuSeconds)")
        lines.append("\(MetaKey.wallSeconds.rawValue): \(wallSeconds)")
        lines.append("\(MetaKey.peakMemoryMB.rawValue): \(peakMemoryMB)")
        lines.append("\(MetaKey.outputBytes.rawValue): \(outputBytes)")
        let oneLine = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        lines.append("\(MetaKey.message.rawValue): \(oneLine)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a meta file's text; `nil` when it names no known status (a truncated or foreign
    /// file), which the judge treats as a sandbox failure.
    public init?(metaText text: String, stderrTail: String = "") {
        var fields: [MetaKey: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let key = MetaKey(rawValue: String(line[..<colon])) else {
                continue
            }
            var value = line[line.index(after: colon)...]
            while value.first == " " { value = value.dropFirst() }
            while value.last == " " { value = value.dropLast() }
            fields[key] = String(value)
        }
        guard let status = fields[.status], let verdict = Verdict(rawValue: status) else { return nil }
        self.init(
            verdict: verdict, exitCode: fields[.exitCode].flatMap { Int($0) },
            signal: fields[.signal].flatMap { Int($0) },
            cpuSeconds: fields[.cpuSeconds].flatMap { Double($0) } ?? 0,
            wallSeconds: fields[.wallSeconds].flatMap { Double($0) } ?? 0,
            peakMemoryMB: fields[.peakMemoryMB].flatMap { Double($0) } ?? 0,
            outputBytes: fields[.outputBytes].flatMap { Int($0) } ?? 0, message: fields[.message] ?? "",
            stderrTail: stderrTail)
    }
}
