import PodiumChecks
import SandboxProtocol

/// A check's finding as the outside sees it (a score report, a receipt, publish, check).
public struct FindingBody: Encodable, Sendable, Equatable {
    public var name: CheckName
    public var severity: Severity
    public var message: String
    /// The statistic, its threshold, counts, by name (`null` when not finite).
    public var evidence: [String: Double]

    enum CodingKeys: String, CodingKey {
        case name, severity, message, evidence
    }

    public init(_ finding: Finding) {
        name = finding.name
        severity = finding.severity
        message = finding.message
        evidence = finding.evidence
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encodeNumbers(evidence, forKey: .evidence)
    }
}

/// A bundle's run in the sandbox, as a score report or a failure shows it.
public struct SandboxRunBody: Encodable, Sendable, Equatable {
    public var status: Verdict
    /// `null` when the bundle did not exit (a signal).
    public var exitStatus: Int?
    /// `null` when no signal ended it.
    public var signal: Int?
    public var cpuSeconds: Double
    public var wallSeconds: Double
    public var peakMemoryMB: Double

    enum CodingKeys: String, CodingKey {
        case status
        case exitStatus = "exit_status"
        case signal
        case cpuSeconds = "cpu_seconds"
        case wallSeconds = "wall_seconds"
        case peakMemoryMB = "peak_memory_mb"
    }

    public init(_ run: SandboxRun) {
        status = run.verdict
        exitStatus = run.exitCode
        signal = run.signal
        cpuSeconds = run.cpuSeconds
        wallSeconds = run.wallSeconds
        peakMemoryMB = run.peakMemoryMB
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encodeOrNull(exitStatus, forKey: .exitStatus)
        try c.encodeOrNull(signal, forKey: .signal)
        try c.encodeNumber(cpuSeconds, forKey: .cpuSeconds)
        try c.encodeNumber(wallSeconds, forKey: .wallSeconds)
        try c.encodeNumber(peakMemoryMB, forKey: .peakMemoryMB)
    }
}
