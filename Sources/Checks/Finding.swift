/// How much a finding matters.
public enum Severity: String, Sendable, Comparable {
    case info, warning, block

    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .block]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// What a check found: data, not an error. Only a refusal throws.
public struct Finding: Sendable, Equatable {
    /// The check's stable name (`perfect_score`).
    public var name: String
    public var severity: Severity
    /// A plain-words explanation a student or instructor can act on.
    public var message: String
    /// Evidence: the statistic, its threshold, counts.
    public var evidence: [String: Double]

    public init(name: String, severity: Severity, message: String, evidence: [String: Double] = [:]) {
        self.name = name
        self.severity = severity
        self.message = message
        self.evidence = evidence
    }
}
